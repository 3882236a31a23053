"""Crime harm: the Cambridge Crime Harm Index and the harm-weighted event tables.

Every incident carries a harm weight: the number of days of imprisonment that the
sentencing guidelines of England and Wales give as the starting point for its offence
(Sherman, Neyroud & Neyroud, 2016). The weights come from the incident's own ``harm``
column or, where that is empty, from the harm table: the one that ships with graphvc
(``graphvc/data/harm_index.csv``), the file named by ``GRAPHVC_HARM_TABLE``, or a table
passed as ``harm_table``.

This module also holds the two tables every other measure starts from:
:func:`incident_harm` (incidents with their dates parsed and their harm and category
filled in) and :func:`person_incidents` (who took part in which incident, in what role).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Literal

import networkx as nx
import pandas as pd

from graphvc import harm_index
from graphvc.errors import AnalysisError, InputError
from graphvc.model import CATEGORIES, LOCAL_TIME_ZONE, ROLE_RELATIONSHIPS

__all__ = [
    "PERPETRATOR_ROLES",
    "DateLike",
    "harm_by",
    "harm_pagerank",
    "harm_weighted_degree",
    "incident_harm",
    "load_harm_table",
    "person_incidents",
    "require_columns",
    "rolling_window",
]

#: A moment: a ``datetime``/``pd.Timestamp``, a ``date``, or an ISO 8601 string.
DateLike = str | date

#: The roles that make a person a perpetrator of an incident. Suspects count: police
#: intelligence rarely waits for a conviction, and the measures say so in their columns.
PERPETRATOR_ROLES: tuple[str, ...] = ("offender", "suspect")

_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no", ""}


def load_harm_table(path: str | Path | None = None) -> pd.DataFrame:
    """Read and check a crime harm table, as a DataFrame for the ``harm_table`` options.

    This is :func:`graphvc.harm_index.load_harm_table` (one reader for the loaders and the
    measures), whose rows weigh each offence by its sentencing starting point in days, as
    the Cambridge Crime Harm Index does [1]_.

    Parameters
    ----------
    path : str or Path, optional
        A CSV file with the columns ``offence`` (a unique code), ``description``,
        ``harm_days`` (a number ≥ 0) and ``category`` (one of
        :data:`graphvc.model.CATEGORIES`). Default: ``GRAPHVC_HARM_TABLE`` if set, else the
        table that ships with graphvc (``graphvc/data/harm_index.csv``).

    Returns
    -------
    pandas.DataFrame
        One row per offence: ``offence``, ``description``, ``harm_days`` (float) and
        ``category``, in the order of the file.

    Raises
    ------
    InputError
        If the file cannot be read, lacks a column, or has a repeated offence, a harm that
        is not a number ≥ 0 or an unknown category; the message names the file, the row
        and the bad value.

    Examples
    --------
    >>> table = load_harm_table()
    >>> row = table.set_index("offence").loc["personal_robbery"]
    >>> float(row["harm_days"]), row["category"]
    (365.0, 'personal_robbery')

    References
    ----------
    .. [1] Sherman, L., Neyroud, P. W., & Neyroud, E. (2016). The Cambridge Crime Harm
       Index: measuring total harm from crime based on sentencing guidelines. *Policing:
       A Journal of Policy and Practice*, 10(3), 171-183. doi:10.1093/police/paw003
    """
    return harm_index.load_harm_table(path).table


def rolling_window(as_of: DateLike, window_days: float) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The half-open window ``[as_of - window_days, as_of)`` as two timestamps.

    ``as_of`` is excluded: the window holds what was known at the start of that moment (a
    date means its midnight), so ``as_of="2025-01-01", window_days=365`` covers
    2024-01-02 00:00 up to the end of 2024-12-31.

    Examples
    --------
    >>> rolling_window("2025-01-01", 365)
    (Timestamp('2024-01-02 00:00:00'), Timestamp('2025-01-01 00:00:00'))
    """
    if not window_days > 0:
        raise AnalysisError(f"window_days={window_days!r} must be a positive number of days")
    end = _timestamp(as_of, "as_of")
    return end - pd.Timedelta(days=window_days), end


def incident_harm(
    incidents: pd.DataFrame,
    *,
    start: DateLike | None = None,
    end: DateLike | None = None,
    harm_table: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Incidents with ``occurred_at`` as datetimes and ``harm``, ``category``, ``domestic`` filled.

    Parameters
    ----------
    incidents : pandas.DataFrame
        The incidents table of the input contract (``incident_id``, ``occurred_at``,
        ``offence`` and the optional columns). ``occurred_at`` may hold ISO 8601 strings or
        datetimes; a time zone, if any, is dropped (times are local).
    start, end : date-like, optional
        Keep the incidents with ``start <= occurred_at < end`` (half-open; either may be
        left open).
    harm_table : pandas.DataFrame, optional
        From :func:`load_harm_table`; default: the table that ships with graphvc. It fills
        an empty ``harm`` with the offence's ``harm_days`` and an empty ``category`` with
        the offence's category.

    Returns
    -------
    pandas.DataFrame
        A copy, sorted by ``occurred_at`` then ``incident_id``, with every column of the
        input and ``occurred_at`` (datetime64), ``harm`` (float ≥ 0), ``category`` and
        ``domestic`` (bool; ``False`` where missing).

    Raises
    ------
    AnalysisError
        If a required column is missing, or ``start`` or ``end`` is not a date.
    InputError
        If an ``incident_id`` repeats, or a row has a bad date, harm, category or flag,
        or an offence the harm table does not know where its
        harm or category is needed. The message names the incident and shows the value.

    Examples
    --------
    >>> incidents = pd.DataFrame({
    ...     "incident_id": ["I1", "I2"],
    ...     "occurred_at": ["2024-03-01T22:15:00", "2024-03-02"],
    ...     "offence": ["personal_robbery", "stalking"],
    ...     "harm": [None, 50],
    ... })
    >>> table = incident_harm(incidents)
    >>> table[["incident_id", "harm", "category", "domestic"]].to_numpy().tolist()
    [['I1', 365.0, 'personal_robbery', False], ['I2', 50.0, 'domestic_abuse', False]]

    References
    ----------
    .. [1] Sherman, L., Neyroud, P. W., & Neyroud, E. (2016). The Cambridge Crime Harm
       Index: measuring total harm from crime based on sentencing guidelines. *Policing:
       A Journal of Policy and Practice*, 10(3), 171-183. doi:10.1093/police/paw003
    """
    require_columns(incidents, "incidents", ("incident_id", "occurred_at"))
    table = incidents.copy()
    repeated = table["incident_id"][table["incident_id"].duplicated()]
    if len(repeated):
        raise InputError(f"incidents: incident_id {repeated.iloc[0]!r} appears twice")
    table["occurred_at"] = _datetimes(table["occurred_at"], table["incident_id"])
    if start is not None:
        table = table[table["occurred_at"] >= _timestamp(start, "start")]
    if end is not None:
        table = table[table["occurred_at"] < _timestamp(end, "end")]

    given = _blank_as_missing(table["harm"]) if "harm" in table else None
    harm = pd.to_numeric(given, errors="coerce") if given is not None else None
    if given is not None and harm is not None:
        bad = (given.notna() & harm.isna()) | (harm < 0)
        if bad.any():
            row = table[bad].iloc[0]
            raise InputError(
                f"incidents: incident {row['incident_id']!r}: "
                f"harm {row['harm']!r} is not a number ≥ 0"
            )
    category = _blank_as_missing(table["category"]) if "category" in table else None
    need_harm = harm.isna() if harm is not None else pd.Series(True, index=table.index)
    need_category = category.isna() if category is not None else pd.Series(True, index=table.index)
    lookup = _offence_lookup(table, need_harm | need_category, harm_table)

    table["harm"] = (harm if harm is not None else lookup["harm_days"]).fillna(lookup["harm_days"])
    table["harm"] = table["harm"].astype(float)
    table["category"] = (category if category is not None else lookup["category"]).fillna(
        lookup["category"]
    )
    unknown = ~table["category"].isin(CATEGORIES)
    if unknown.any():
        row = table[unknown].iloc[0]
        raise InputError(
            f"incidents: incident {row['incident_id']!r}: category {row['category']!r} "
            f"is not one of {', '.join(CATEGORIES)}"
        )
    table["domestic"] = _flags(table, "domestic")
    return table.sort_values(["occurred_at", "incident_id"], kind="stable").reset_index(drop=True)


def person_incidents(
    incidents: pd.DataFrame,
    involvements: pd.DataFrame,
    *,
    roles: Iterable[str],
    start: DateLike | None = None,
    end: DateLike | None = None,
    harm_table: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per (person, incident) in which the person took one of ``roles``.

    A person who is both offender and suspect in one incident is counted once, so their
    harm is not counted twice. Involvements that name an incident outside the table (or
    outside ``[start, end)``) are left out.

    Parameters
    ----------
    incidents, involvements : pandas.DataFrame
        Tables of the input contract.
    roles : iterable of str
        Roles to keep, from ``offender``, ``suspect``, ``victim``, ``witness``.
    start, end, harm_table
        As in :func:`incident_harm`.

    Returns
    -------
    pandas.DataFrame
        ``person_id`` and the columns of :func:`incident_harm`, sorted by person, then
        time, then incident.

    Examples
    --------
    >>> incidents = pd.DataFrame({
    ...     "incident_id": ["I1", "I2"],
    ...     "occurred_at": ["2024-01-05", "2024-02-01"],
    ...     "offence": ["personal_robbery", "violence_without_injury"],
    ... })
    >>> involvements = pd.DataFrame({
    ...     "person_id": ["A", "A", "B", "A"],
    ...     "incident_id": ["I1", "I1", "I1", "I2"],
    ...     "role": ["offender", "suspect", "victim", "offender"],
    ... })
    >>> events = person_incidents(incidents, involvements, roles=PERPETRATOR_ROLES)
    >>> events[["person_id", "incident_id", "harm"]].to_numpy().tolist()
    [['A', 'I1', 365.0], ['A', 'I2', 10.0]]
    """
    roles = tuple(roles)
    for role in roles:
        if role not in ROLE_RELATIONSHIPS:
            raise AnalysisError(f"role {role!r} is not one of {', '.join(ROLE_RELATIONSHIPS)}")
    require_columns(involvements, "involvements", ("person_id", "incident_id", "role"))
    unknown = ~involvements["role"].isin(list(ROLE_RELATIONSHIPS))
    if unknown.any():
        row = involvements[unknown].iloc[0]
        raise InputError(
            f"involvements: person {row['person_id']!r} in incident {row['incident_id']!r}: "
            f"role {row['role']!r} is not one of {', '.join(ROLE_RELATIONSHIPS)}"
        )
    taking_part = involvements.loc[
        involvements["role"].isin(list(roles)), ["person_id", "incident_id"]
    ].drop_duplicates()
    table = incident_harm(incidents, start=start, end=end, harm_table=harm_table)
    events = taking_part.merge(table, on="incident_id", how="inner")
    return events.sort_values(
        ["person_id", "occurred_at", "incident_id"], kind="stable"
    ).reset_index(drop=True)


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
    harm_table: pd.DataFrame | None = None,
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
    harm_table : pandas.DataFrame, optional
        As in :func:`incident_harm`.

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


def require_columns(table: pd.DataFrame, name: str, columns: Iterable[str]) -> None:
    """Raise AnalysisError naming the first of ``columns`` that ``table`` lacks."""
    for column in columns:
        if column not in table.columns:
            raise AnalysisError(f"the {name} table has no column {column!r}")


#: Times are compared as wall-clock time here; offsets are converted to it first.
_OFFSET = r"(?:[+-]\d\d:?\d\d|Z)$"


def _timestamp(value: DateLike, name: str) -> pd.Timestamp:
    """``value`` as a time-zone-naive Timestamp, or AnalysisError naming the option."""
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError) as e:
        raise AnalysisError(f"{name}={value!r} is not a date") from e
    if pd.isna(stamp):
        raise AnalysisError(f"{name}={value!r} is not a date")
    return (
        stamp.tz_convert(LOCAL_TIME_ZONE).tz_localize(None) if stamp.tzinfo is not None else stamp
    )


def _datetimes(values: pd.Series, ids: pd.Series) -> pd.Series:
    """Parse ``occurred_at``; InputError naming the first incident whose date is bad."""
    if pd.api.types.is_datetime64_any_dtype(values):
        parsed = values
    elif values.astype("string").str.contains(_OFFSET, regex=True, na=False).any():
        # Times with UTC offsets (as Neo4j returns them) are compared as London wall-clock time.
        parsed = pd.to_datetime(values, format="ISO8601", errors="coerce", utc=True)
    else:
        parsed = pd.to_datetime(values, format="ISO8601", errors="coerce", utc=False)
    bad = parsed.isna()
    if bad.any():
        first = bad.to_numpy().nonzero()[0][0]
        raise InputError(
            f"incidents: incident {ids.iloc[first]!r}: "
            f"occurred_at {values.iloc[first]!r} is not a date"
        )
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_convert(LOCAL_TIME_ZONE).dt.tz_localize(None)
    return parsed


def _blank_as_missing(values: pd.Series) -> pd.Series:
    """``values`` with empty or all-space text as missing (an empty CSV cell)."""
    blank = values.astype("string").str.strip().eq("").fillna(False).astype(bool)
    return values.mask(blank)


def _offence_lookup(
    table: pd.DataFrame, needed: pd.Series, harm_table: pd.DataFrame | None
) -> pd.DataFrame:
    """The harm table's ``harm_days`` and ``category`` for each incident (NaN where not needed)."""
    empty = pd.DataFrame(
        {"harm_days": float("nan"), "category": pd.Series(pd.NA, index=table.index, dtype=object)},
        index=table.index,
    )
    if not needed.any():
        return empty
    require_columns(table, "incidents", ("offence",))
    reference = (load_harm_table() if harm_table is None else harm_table).set_index("offence")
    offences = table.loc[needed, "offence"]
    known = offences.isin(reference.index)
    if not known.all():
        first = table.loc[offences[~known].index[0]]
        raise InputError(
            f"incidents: incident {first['incident_id']!r}: offence {first['offence']!r} "
            "is not in the harm table"
        )
    empty.loc[needed, "harm_days"] = reference.loc[offences, "harm_days"].to_numpy(dtype=float)
    empty.loc[needed, "category"] = reference.loc[offences, "category"].to_numpy(dtype=object)
    return empty


def _flags(table: pd.DataFrame, column: str) -> pd.Series:
    """A contract boolean column as bool (missing column or cell: False)."""
    if column not in table:
        return pd.Series(False, index=table.index)
    values = table[column]
    if pd.api.types.is_bool_dtype(values):
        return values.fillna(False).astype(bool)
    text = values.astype("string").str.strip().str.lower().fillna("")
    bad = ~text.isin(_TRUE | _FALSE)
    if bad.any():
        row = table[bad].iloc[0]
        raise InputError(
            f"incidents: incident {row['incident_id']!r}: "
            f"{column} {row[column]!r} is not true or false"
        )
    return text.isin(_TRUE)


def _check_edge_harm(G: nx.Graph, weight: str) -> None:
    for u, v, value in G.edges(data=weight):
        if value is None:
            raise AnalysisError(f"edge ({u!r}, {v!r}) has no {weight!r} attribute")
        if not value >= 0:
            raise AnalysisError(f"edge ({u!r}, {v!r}): {weight} {value!r} is not a number ≥ 0")


def _rank_order(table: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """``table`` sorted by ``columns`` (descending) and then by its index, for stable ranks."""
    return table.sort_index(kind="stable").sort_values(columns, ascending=False, kind="stable")
