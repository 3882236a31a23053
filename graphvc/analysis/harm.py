"""Crime harm measures: harm per offender, victim or place, and harm-weighted centrality.

Every incident carries a harm weight: the number of days of imprisonment that the
sentencing guidelines of England and Wales give as the starting point for its offence
(Sherman, Neyroud & Neyroud, 2016). The weights come from the incident's own ``harm``
column or, where that is empty, from the harm table (:mod:`graphvc.harm_index`), through
:func:`graphvc.analysis.events.incident_harm`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import networkx as nx
import pandas as pd

from graphvc.analysis.events import DateLike, incident_harm, person_incidents, require_columns
from graphvc.contract import PERPETRATOR_ROLES
from graphvc.errors import AnalysisError
from graphvc.harm_index import HarmTable

__all__ = ["harm_by", "harm_pagerank", "harm_weighted_degree"]


def harm_by(
    incidents: pd.DataFrame,
    involvements: pd.DataFrame | None = None,
    locations: pd.DataFrame | None = None,
    by: Literal["offender", "victim", "location", "ward", "borough"] = "offender",
    *,
    start: DateLike | None = None,
    end: DateLike | None = None,
    min_incidents: int = 1,
    perpetrator_roles: Iterable[str] = PERPETRATOR_ROLES,
    harm_table: HarmTable | None = None,
) -> pd.DataFrame:
    """Total crime harm and incident counts per offender, victim or place.

    An incident's harm is credited in full to each of its offenders (or victims): harm is
    not split between co-offenders, as in the Cambridge CHI's offender rankings [2]_.

    Parameters
    ----------
    incidents : pandas.DataFrame
        The incidents table.
    involvements : pandas.DataFrame, optional
        Needed for ``by="offender"`` and ``by="victim"``.
    locations : pandas.DataFrame, optional
        Needed for ``by="ward"`` and ``by="borough"``; with ``by="location"`` it adds the
        place's ``name``.
    by : {"offender", "victim", "location", "ward", "borough"}
        The unit. ``offender`` means any of ``perpetrator_roles``. Places are the
        incident's ``location_id`` and that location's ``ward_code`` or ``borough_code``;
        incidents without one are left out.
    start, end : date-like, optional
        Count incidents with ``start <= occurred_at < end``.
    min_incidents : int, default 1
        Keep only units with at least this many incidents.
    perpetrator_roles : iterable of str, default ("offender", "suspect")
        The roles that count for ``by="offender"``.
    harm_table : HarmTable, optional
        As in :func:`graphvc.analysis.events.incident_harm`.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``person_id``, ``location_id``, ``ward_code`` or ``borough_code``, with
        the columns ``incidents`` (count), ``harm`` (total harm, days), ``harm_share``
        (the unit's share of the harm of all units before ``min_incidents`` is applied),
        ``first_at`` and ``last_at`` (its first and last incident), and the place's name
        (``name``, ``ward_name`` or ``borough_name``) when the locations table has it.
        Sorted by harm, then incidents (both descending), then the index.

    Examples
    --------
    >>> incidents = pd.DataFrame({
    ...     "incident_id": ["I1", "I2", "I3"],
    ...     "occurred_at": ["2024-01-05", "2024-02-01", "2024-03-01"],
    ...     "offence": ["personal_robbery", "violence_without_injury", "violence_with_injury"],
    ...     "location_id": ["L1", "L1", "L2"],
    ... })
    >>> involvements = pd.DataFrame({
    ...     "person_id": ["A", "B", "A", "B"],
    ...     "incident_id": ["I1", "I1", "I2", "I3"],
    ...     "role": ["offender", "offender", "offender", "victim"],
    ... })
    >>> harm_by(incidents, involvements, by="offender")[["incidents", "harm"]].to_dict("index")
    {'A': {'incidents': 2, 'harm': 375.0}, 'B': {'incidents': 1, 'harm': 365.0}}
    >>> harm_by(incidents, by="location")["harm_share"].round(3).to_dict()
    {'L1': 0.507, 'L2': 0.493}

    References
    ----------
    .. [1] Sherman, L., Neyroud, P. W., & Neyroud, E. (2016). The Cambridge Crime Harm
       Index: measuring total harm from crime based on sentencing guidelines. *Policing:
       A Journal of Policy and Practice*, 10(3), 171-183. doi:10.1093/police/paw003
    .. [2] Liggins, A., Ratcliffe, J. H., & Bland, M. (2019). Targeting the most harmful
       offenders for an English police agency: continuity and change of membership in the
       "felonious few". *Cambridge Journal of Evidence-Based Policing*, 3.
       doi:10.1007/s41887-019-00039-7
    """
    if min_incidents < 1:
        raise AnalysisError(f"min_incidents={min_incidents!r} must be at least 1")
    names: list[str] = []
    if by in ("offender", "victim"):
        if involvements is None:
            raise AnalysisError(f"harm_by(by={by!r}) needs the involvements table")
        roles = tuple(perpetrator_roles) if by == "offender" else ("victim",)
        events = person_incidents(
            incidents, involvements, roles=roles, start=start, end=end, harm_table=harm_table
        )
        key = "person_id"
    elif by in ("location", "ward", "borough"):
        require_columns(incidents, "incidents", ("location_id",))
        events = incident_harm(incidents, start=start, end=end, harm_table=harm_table)
        key = "location_id" if by == "location" else f"{by}_code"
        if by != "location":
            if locations is None:
                raise AnalysisError(f"harm_by(by={by!r}) needs the locations table")
            require_columns(locations, "locations", ("location_id", key))
            names = [f"{by}_name"] if f"{by}_name" in locations else []
            events = events.merge(
                locations[["location_id", key, *names]], on="location_id", how="left"
            )
        elif locations is not None and "name" in locations:
            names = ["name"]
            events = events.merge(locations[["location_id", "name"]], on="location_id", how="left")
        events = events[events[key].notna()]
    else:
        raise AnalysisError(
            f"by={by!r} is not one of 'offender', 'victim', 'location', 'ward', 'borough'"
        )

    grouped = events.groupby(key, sort=True)
    result = pd.DataFrame(
        {
            "incidents": grouped["incident_id"].nunique(),
            "harm": grouped["harm"].sum().astype(float),
            "first_at": grouped["occurred_at"].min(),
            "last_at": grouped["occurred_at"].max(),
        }
    )
    total = result["harm"].sum()
    result.insert(2, "harm_share", result["harm"] / total if total > 0 else float("nan"))
    for name in names:
        result.insert(0, name, grouped[name].first())
    result = result[result["incidents"] >= min_incidents]
    result.index.name = key
    return _rank_order(result, ["harm", "incidents"])


def harm_weighted_degree(G: nx.Graph, *, weight: str = "harm") -> pd.DataFrame:
    """Degree and harm-weighted degree (node strength) of every node.

    The harm-weighted degree of a node is the sum of the ``weight`` attribute over its
    edges: with the ``harm`` of a co-offending graph as the weight, the total harm of the
    offences a person committed with each co-offender, summed over co-offenders (Opsahl et
    al.'s node
    strength [2]_ with Cambridge CHI weights [1]_). The graphs of
    :mod:`graphvc.analysis.projections` carry that ``harm`` on their edges.

    Parameters
    ----------
    G : networkx.Graph
        An undirected graph; every edge must have the ``weight`` attribute, a number ≥ 0.
    weight : str, default "harm"
        The edge attribute holding the harm.

    Returns
    -------
    pandas.DataFrame
        Indexed by node, with ``degree`` (number of neighbours) and
        ``harm_weighted_degree``; sorted by harm-weighted degree, then degree (descending).

    Raises
    ------
    AnalysisError
        If an edge has no ``weight`` attribute or a negative one.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_edge("A", "B", harm=375.0)
    >>> G.add_edge("B", "C", harm=10.0)
    >>> harm_weighted_degree(G)
       degree  harm_weighted_degree
    B       2                 385.0
    A       1                 375.0
    C       1                  10.0

    References
    ----------
    .. [1] Sherman, L., Neyroud, P. W., & Neyroud, E. (2016). The Cambridge Crime Harm
       Index: measuring total harm from crime based on sentencing guidelines. *Policing:
       A Journal of Policy and Practice*, 10(3), 171-183. doi:10.1093/police/paw003
    .. [2] Opsahl, T., Agneessens, F., & Skvoretz, J. (2010). Node centrality in weighted
       networks: generalizing degree and shortest paths. *Social Networks*, 32(3),
       245-251. doi:10.1016/j.socnet.2010.03.006
    """
    _check_edge_harm(G, weight)
    result = pd.DataFrame(
        {
            "degree": pd.Series(dict(G.degree()), dtype="int64"),
            "harm_weighted_degree": pd.Series(dict(G.degree(weight=weight)), dtype=float),
        },
        index=list(G.nodes),
    )
    return _rank_order(result, ["harm_weighted_degree", "degree"])


def harm_pagerank(G: nx.Graph, *, weight: str = "harm", alpha: float = 0.85) -> pd.DataFrame:
    """PageRank with crime harm as the edge weight.

    A random walker moves along an edge with probability proportional to its harm (and
    jumps to a random node with probability ``1 - alpha``), so people tied by harmful
    co-offending to people who are themselves central rank high. This is
    :func:`networkx.pagerank` with ``weight`` set to the harm attribute.

    Parameters
    ----------
    G : networkx.Graph
        Every edge must have the ``weight`` attribute, a number ≥ 0 (the co-offending graph
        of :mod:`graphvc.analysis.projections` has ``harm``).
    weight : str, default "harm"
        The edge attribute holding the harm.
    alpha : float, default 0.85
        The damping factor.

    Returns
    -------
    pandas.DataFrame
        Indexed by node, with ``harm_pagerank`` (summing to 1), ``harm_weighted_degree``
        and ``degree`` beside it; sorted by ``harm_pagerank`` (descending).

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_edge("A", "B", harm=375.0)
    >>> G.add_edge("B", "C", harm=375.0)
    >>> harm_pagerank(G)["harm_pagerank"].round(3).to_dict()
    {'B': 0.486, 'A': 0.257, 'C': 0.257}

    References
    ----------
    .. [1] Brin, S., & Page, L. (1998). The anatomy of a large-scale hypertextual Web search
       engine. *Computer Networks and ISDN Systems*, 30(1-7), 107-117.
       doi:10.1016/S0169-7552(98)00110-X
    .. [2] Sherman, L., Neyroud, P. W., & Neyroud, E. (2016). The Cambridge Crime Harm
       Index: measuring total harm from crime based on sentencing guidelines. *Policing:
       A Journal of Policy and Practice*, 10(3), 171-183. doi:10.1093/police/paw003
    """
    degrees = harm_weighted_degree(G, weight=weight)
    if not 0 < alpha < 1:
        raise AnalysisError(f"alpha={alpha!r} must be between 0 and 1")
    rank = pd.Series(nx.pagerank(G, alpha=alpha, weight=weight) if len(G) else {}, dtype=float)
    result = degrees.assign(harm_pagerank=rank)[["harm_pagerank", "harm_weighted_degree", "degree"]]
    return _rank_order(result, ["harm_pagerank"])


def _check_edge_harm(G: nx.Graph, weight: str) -> None:
    for u, v, value in G.edges(data=weight):
        if value is None:
            raise AnalysisError(f"edge ({u!r}, {v!r}) has no {weight!r} attribute")
        if not value >= 0:
            raise AnalysisError(f"edge ({u!r}, {v!r}): {weight} {value!r} is not a number ≥ 0")


def _rank_order(table: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """``table`` sorted by ``columns`` (descending) and then by its index, for stable ranks."""
    return table.sort_index(kind="stable").sort_values(columns, ascending=False, kind="stable")
