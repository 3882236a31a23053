"""Network exposure to gun and knife violence in the co-offending network.

Papachristos, Braga & Hureau (2012) found that the odds of being shot fall by a quarter
with each tie that separates a person from a gunshot victim in a co-offending network, and
Papachristos & Wildeman (2014) found the same for homicide. This module measures each
person's distance to the nearest victim of gun or knife violence and how many such victims
stand one and two steps away.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx
import numpy as np
import pandas as pd

from graphvc.analysis.events import DateLike, incident_harm, person_incidents
from graphvc.contract import CATEGORIES
from graphvc.errors import AnalysisError
from graphvc.harm_index import HarmTable

__all__ = ["network_exposure"]

_COLUMNS = (
    "is_victim",
    "distance",
    "neighbours_1",
    "victims_1",
    "share_1",
    "neighbours_2",
    "victims_2",
    "share_2",
)


def network_exposure(
    G: nx.Graph,
    incidents: pd.DataFrame,
    involvements: pd.DataFrame,
    *,
    start: DateLike | None = None,
    end: DateLike | None = None,
    categories: Iterable[str] = ("gun_enabled", "knife_enabled"),
    harm_table: HarmTable | None = None,
) -> pd.DataFrame:
    """Each person's exposure to victims of gun or knife violence in a co-offending network.

    A *victim* is a node of ``G`` with the role ``victim`` in an incident of one of
    ``categories`` with ``start <= occurred_at < end``. Distances are hop counts along the
    edges of ``G`` (a directed graph is read as undirected).

    Parameters
    ----------
    G : networkx.Graph
        The co-offending network; nodes are ``person_id`` values.
    incidents, involvements : pandas.DataFrame
        Tables of the input contract.
    start, end : date-like, optional
        The window of the victimisations.
    categories : iterable of str, default ("gun_enabled", "knife_enabled")
        The categories of violence whose victims count.
    harm_table : HarmTable, optional
        As in :func:`graphvc.analysis.harm.incident_harm` (it fills missing categories).

    Returns
    -------
    pandas.DataFrame
        Indexed by node (``person_id``):

        * ``is_victim`` — the person is a victim themself;
        * ``distance`` — hops to the nearest victim (0 for a victim, ``inf`` when no
          victim can be reached);
        * ``neighbours_1``, ``victims_1``, ``share_1`` — the people one step away, how
          many are victims, and that share (NaN for an isolated person);
        * ``neighbours_2``, ``victims_2``, ``share_2`` — the same for the people exactly
          two steps away (not the person, not a neighbour).

        Sorted by distance, then ``share_1`` and ``share_2`` (descending), then node.

    Examples
    --------
    >>> G = nx.path_graph(["A", "B", "C", "D"])
    >>> incidents = pd.DataFrame({
    ...     "incident_id": ["I1"], "occurred_at": ["2024-05-01"], "offence": ["firearm_discharge"],
    ... })
    >>> involvements = pd.DataFrame({"person_id": ["A"], "incident_id": ["I1"], "role": ["victim"]})
    >>> exposure = network_exposure(G, incidents, involvements)
    >>> exposure["distance"].to_dict()
    {'A': 0.0, 'B': 1.0, 'C': 2.0, 'D': 3.0}
    >>> exposure[["victims_1", "share_1", "victims_2", "share_2"]].to_dict("index")["B"]
    {'victims_1': 1, 'share_1': 0.5, 'victims_2': 0, 'share_2': 0.0}

    References
    ----------
    .. [1] Papachristos, A. V., Braga, A. A., & Hureau, D. M. (2012). Social networks and
       the risk of gunshot injury. *Journal of Urban Health*, 89(6), 992-1003.
       doi:10.1007/s11524-012-9703-9
    .. [2] Papachristos, A. V., & Wildeman, C. (2014). Network exposure and homicide
       victimization in an African American community. *American Journal of Public
       Health*, 104(1), 143-150. doi:10.2105/AJPH.2013.301441
    """
    categories = tuple(categories)
    for category in categories:
        if category not in CATEGORIES:
            raise AnalysisError(f"category {category!r} is not one of {', '.join(CATEGORIES)}")
    graph = G.to_undirected(as_view=True) if G.is_directed() else G
    table = incident_harm(incidents, start=start, end=end, harm_table=harm_table)
    violent = table[table["category"].isin(categories)]
    victims = set(person_incidents(violent, involvements, roles=("victim",))["person_id"])
    nodes = list(graph.nodes)
    if not nodes:
        return pd.DataFrame(columns=_COLUMNS, index=pd.Index([], name="person_id"))
    is_victim = np.array([node in victims for node in nodes], dtype=bool)

    distance = dict.fromkeys(nodes, np.inf)
    sources = [node for node, victim in zip(nodes, is_victim, strict=True) if victim]
    if sources:
        for hops, layer in enumerate(nx.bfs_layers(graph, sources)):
            for node in layer:
                distance[node] = float(hops)

    adjacency = nx.to_scipy_sparse_array(graph, nodelist=nodes, weight=None, format="csr")
    adjacency.setdiag(0)
    adjacency.eliminate_zeros()
    adjacency.data[:] = 1
    two_steps = adjacency @ adjacency
    two_steps.setdiag(0)
    two_steps.eliminate_zeros()
    two_steps.data[:] = 1
    exactly_two = (two_steps - two_steps.multiply(adjacency)).tocsr()
    exactly_two.eliminate_zeros()

    result = pd.DataFrame(
        {
            "is_victim": is_victim,
            "distance": [distance[node] for node in nodes],
            "neighbours_1": np.asarray(adjacency.sum(axis=1)).ravel().astype("int64"),
            "victims_1": (adjacency @ is_victim.astype("int64")).astype("int64"),
            "neighbours_2": np.asarray(exactly_two.sum(axis=1)).ravel().astype("int64"),
            "victims_2": (exactly_two @ is_victim.astype("int64")).astype("int64"),
        },
        index=pd.Index(nodes, name="person_id"),
    )
    for step in ("1", "2"):
        reached = result[f"neighbours_{step}"]
        result[f"share_{step}"] = result[f"victims_{step}"] / reached.where(reached > 0)
    result = result[list(_COLUMNS)].sort_index()
    return result.sort_values(
        ["distance", "share_1", "share_2"],
        ascending=[True, False, False],
        kind="stable",
        na_position="last",
    )
