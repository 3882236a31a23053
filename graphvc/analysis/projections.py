"""Projections: the tables of the input contract turned into networkx graphs of people.

Each function takes DataFrames with the columns of ``docs/input-contract.md`` (``persons``,
``incidents``, ``involvements``, ``locations``, ``associations``), whether read by the loaders
or returned from Neo4j under the same column names, and returns a networkx graph. Incidents
pass through :func:`graphvc.analysis.harm.incident_harm` first, which reads ``occurred_at``
and fills an empty ``harm`` or ``category`` from the harm table, so every measure sees the
same harm. Only the columns a projection uses must be present; it says which are missing.

The projections of incidents share their filters:

* ``start``, ``end``: keep incidents with ``start <= occurred_at < end`` (``occurred_at`` may be
  ISO 8601 text or a datetime column);
* ``boroughs``: keep incidents whose location has one of these ``borough_code`` values (needs
  ``locations``);
* ``categories``: keep incidents of these continuum categories (:data:`graphvc.model.CATEGORIES`).

Their edges carry ``incidents``, the number of incidents the two ends share (a **strength**),
``harm``, the summed crime harm of those incidents, and ``distance = 1 / incidents``, the
**cost** that path-based measures (betweenness, closeness, shortest paths) should read, so that
repeated co-offending counts as close. A person's ``name`` never enters a graph.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from typing import Any

import networkx as nx
import pandas as pd

from graphvc.analysis.events import DateLike, incident_harm, is_in, require_columns
from graphvc.contract import ASSOCIATION_TYPES, CATEGORIES, DEMOGRAPHICS, PERPETRATOR_ROLES, ROLES
from graphvc.errors import AnalysisError
from graphvc.harm_index import HarmTable

__all__ = [
    "ASSOCIATION_TYPES",
    "CO_OFFENDING",
    "TIE_LAYERS",
    "association_graph",
    "co_offending_graph",
    "person_location_graph",
    "person_network",
    "victim_offender_graph",
]


#: The tie layer of shared incidents (as offender or suspect).
CO_OFFENDING = "co-offending"
#: The layers a person network can be built from: co-offending and each association type.
TIE_LAYERS: tuple[str, ...] = (CO_OFFENDING, *ASSOCIATION_TYPES)

#: The person columns a graph may carry (the contract's demographic ones); ``name`` stays in Neo4j.
PERSON_ATTRIBUTES: tuple[str, ...] = DEMOGRAPHICS

Names = str | Iterable[str]


def _listed(values: Names) -> list[str]:
    """``values`` as a list; one string is one value, not its letters."""
    return [values] if isinstance(values, str) else list(values)


def _allowed(values: Names, allowed: Collection[str], what: str) -> list[str]:
    chosen = _listed(values)
    for value in chosen:
        if value not in allowed:
            raise AnalysisError(f"{what} {value!r} is not one of {', '.join(allowed)}")
    return chosen


def _incident_events(
    incidents: pd.DataFrame,
    involvements: pd.DataFrame,
    start: DateLike | None,
    end: DateLike | None,
    boroughs: Names | None,
    categories: Names | None,
    locations: pd.DataFrame | None,
    harm_table: HarmTable | None,
) -> pd.DataFrame:
    """Every involvement in an incident in scope: ``person_id``, ``role`` and the incident's
    columns from :func:`~graphvc.analysis.harm.incident_harm` (harm and category filled)."""
    require_columns(involvements, "involvements", ["person_id", "incident_id", "role"])
    chosen = incident_harm(incidents, start=start, end=end, harm_table=harm_table)
    if categories is not None:
        chosen = chosen.loc[chosen["category"].isin(_allowed(categories, CATEGORIES, "category"))]
    if boroughs is not None:
        if locations is None:
            raise AnalysisError("filtering by borough needs the locations table")
        require_columns(locations, "locations", ["location_id", "borough_code"])
        require_columns(incidents, "incidents", ["location_id"])
        places = locations.loc[locations["borough_code"].isin(_listed(boroughs)), "location_id"]
        chosen = chosen.loc[is_in(chosen["location_id"], places)]
    return involvements[["person_id", "incident_id", "role"]].merge(chosen, on="incident_id")


def _taking_part(events: pd.DataFrame, roles: Names) -> pd.DataFrame:
    """One row per person and incident in which the person took one of ``roles``; someone
    both offender and suspect in an incident counts once."""
    wanted = _allowed(roles, tuple(ROLES), "role")
    return events.loc[events["role"].isin(wanted)].drop_duplicates(["person_id", "incident_id"])


def _tally(rows: pd.DataFrame, by: str | list[str]) -> pd.DataFrame:
    """Incidents counted and harm summed for each value of ``by``."""
    return rows.groupby(by, sort=False).agg(incidents=("incident_id", "size"), harm=("harm", "sum"))


def _records(frame: pd.DataFrame) -> Iterator[tuple[Any, dict[Any, Any]]]:
    """(index, row as a dict of Python scalars) for each row of ``frame``."""
    return zip(frame.index, frame.to_dict("records"), strict=True)


def _add_edges(G: nx.Graph, pairs: pd.DataFrame, ends: list[str]) -> None:
    """Edges between the two ``ends`` columns, with incidents, harm and distance."""
    edges = _tally(pairs, ends)
    edges["distance"] = 1 / edges["incidents"]
    G.add_edges_from((u, v, data) for (u, v), data in _records(edges))


def _describe(G: nx.Graph, table: pd.DataFrame | None, key: str, columns: Iterable[str]) -> None:
    """Copy the present, non-missing ``columns`` of ``table`` onto the nodes of ``G``."""
    if table is None:
        return
    present = [c for c in columns if c in table.columns]
    rows = table.loc[is_in(table[key], G), [key, *present]].set_index(key)
    nx.set_node_attributes(
        G, {node: {c: v for c, v in row.items() if pd.notna(v)} for node, row in _records(rows)}
    )


def co_offending_graph(
    incidents: pd.DataFrame,
    involvements: pd.DataFrame,
    *,
    start: DateLike | None = None,
    end: DateLike | None = None,
    boroughs: Names | None = None,
    categories: Names | None = None,
    roles: Names = PERPETRATOR_ROLES,
    locations: pd.DataFrame | None = None,
    persons: pd.DataFrame | None = None,
    harm_table: HarmTable | None = None,
) -> nx.Graph:
    """The co-offending network: people tied when they offended in the same incident.

    Co-offending ties carry influence, recruitment and retaliation [1]_; the network of who
    offends with whom is where violence concentrates [2]_. Everyone who offended in a chosen
    incident is a node, including those who always offended alone.

    Parameters
    ----------
    incidents : DataFrame
        ``incident_id``, ``occurred_at``, and ``offence`` where ``harm`` or ``category`` is
        empty or absent; ``location_id`` to filter by borough.
    involvements : DataFrame
        ``person_id``, ``incident_id``, ``role``.
    start, end : str, date or Timestamp, optional
        Keep incidents with ``start <= occurred_at < end``.
    boroughs : str or iterable of str, optional
        Keep incidents at locations with one of these ``borough_code`` values.
    categories : str or iterable of str, optional
        Keep incidents of these continuum categories.
    roles : str or iterable of str, default ("offender", "suspect")
        The roles that count as offending.
    locations : DataFrame, optional
        ``location_id`` and ``borough_code``; needed with ``boroughs``.
    persons : DataFrame, optional
        ``person_id`` and any of :data:`PERSON_ATTRIBUTES`, copied onto the nodes.
    harm_table : HarmTable, optional
        From :func:`graphvc.harm_index.load_harm_table`; default: the one shipped.

    Returns
    -------
    nx.Graph
        Nodes are ``person_id`` values with ``incidents`` (chosen incidents offended in) and
        ``harm`` (their summed harm). Edges have ``incidents`` (shared), ``harm`` (of the
        shared incidents) and ``distance`` (``1 / incidents``).

    Raises
    ------
    AnalysisError
        For a missing column, an unknown role or category, or ``boroughs`` without
        ``locations``.
    InputError
        From :func:`~graphvc.analysis.harm.incident_harm`, for a bad date, harm or category
        or an offence the harm table does not know.

    Examples
    --------
    Harm comes from the offences (365, 20 and 10 days):

    >>> incidents = pd.DataFrame({"incident_id": ["I1", "I2", "I3"],
    ...     "occurred_at": ["2024-01-05", "2024-02-10T23:30:00", "2024-03-01"],
    ...     "offence": ["personal_robbery", "racially_aggravated_public_order",
    ...                 "violence_without_injury"]})
    >>> involvements = pd.DataFrame({
    ...     "person_id": ["P1", "P2", "P1", "P2", "P3", "P4", "P5"],
    ...     "incident_id": ["I1", "I1", "I2", "I2", "I2", "I3", "I3"],
    ...     "role": ["offender", "offender", "offender", "suspect", "offender", "offender",
    ...              "victim"]})
    >>> G = co_offending_graph(incidents, involvements)
    >>> G.edges["P1", "P2"]
    {'incidents': 2, 'harm': 385.0, 'distance': 0.5}
    >>> sorted(G.nodes), G.nodes["P4"]
    (['P1', 'P2', 'P3', 'P4'], {'incidents': 1, 'harm': 10.0})
    >>> sorted(co_offending_graph(incidents, involvements, start="2024-02-01").edges)
    [('P1', 'P2'), ('P1', 'P3'), ('P2', 'P3')]

    References
    ----------
    .. [1] Reiss, A. J. (1988). Co-offending and criminal careers. *Crime and Justice* 10,
       117–170. https://doi.org/10.1086/449145
    .. [2] Papachristos, A. V. (2009). Murder by structure: dominance relations and the social
       structure of gang homicide. *American Journal of Sociology* 115(1), 74–128.
       https://doi.org/10.1086/597791
    """
    events = _incident_events(
        incidents, involvements, start, end, boroughs, categories, locations, harm_table
    )
    offenders = _taking_part(events, roles)
    pairs = offenders.merge(
        offenders[["incident_id", "person_id"]], on="incident_id", suffixes=("", "_other")
    )
    pairs = pairs.loc[pairs["person_id"] < pairs["person_id_other"]]
    G = nx.Graph(name="co-offending")
    G.add_nodes_from(_records(_tally(offenders, "person_id")))
    _add_edges(G, pairs, ["person_id", "person_id_other"])
    _describe(G, persons, "person_id", PERSON_ATTRIBUTES)
    return G


def victim_offender_graph(
    incidents: pd.DataFrame,
    involvements: pd.DataFrame,
    *,
    start: DateLike | None = None,
    end: DateLike | None = None,
    boroughs: Names | None = None,
    categories: Names | None = None,
    roles: Names = PERPETRATOR_ROLES,
    locations: pd.DataFrame | None = None,
    persons: pd.DataFrame | None = None,
    harm_table: HarmTable | None = None,
) -> nx.DiGraph:
    """The victimisation network: an arc from each offender to each victim of an incident.

    Violence travels through networks in which the same people are offenders and victims
    [1]_; following arcs shows who harms whom, and a node with arcs both in and out is a
    victim-offender. Everyone with a role in a chosen incident is a node, including victims
    of an unknown offender.

    Parameters
    ----------
    incidents, involvements, start, end, boroughs, categories, locations, persons, harm_table
        As for :func:`co_offending_graph`.
    roles : str or iterable of str, default ("offender", "suspect")
        The roles at the tail of an arc; the head is always a ``victim``.

    Returns
    -------
    nx.DiGraph
        Nodes are ``person_id`` values with ``offender_incidents``, ``offender_harm``,
        ``victim_incidents`` and ``victim_harm`` (0 where the person had no such role). Arcs
        have ``incidents``, ``harm`` and ``distance`` as in :func:`co_offending_graph`. A
        person recorded as both offender and victim of one incident gets no loop.

    Examples
    --------
    >>> incidents = pd.DataFrame({"incident_id": ["I1", "I2"],
    ...     "occurred_at": ["2024-01-05", "2024-01-06"], "harm": [365.0, 20.0],
    ...     "category": ["personal_robbery", "hate_crime"]})
    >>> involvements = pd.DataFrame({"person_id": ["P1", "P2", "P2", "P1", "P3"],
    ...     "incident_id": ["I1", "I1", "I2", "I2", "I2"],
    ...     "role": ["offender", "victim", "offender", "victim", "victim"]})
    >>> G = victim_offender_graph(incidents, involvements)
    >>> sorted(G.edges(data="harm"))
    [('P1', 'P2', 365.0), ('P2', 'P1', 20.0), ('P2', 'P3', 20.0)]
    >>> G.nodes["P1"]
    {'offender_incidents': 1, 'offender_harm': 365.0, 'victim_incidents': 1, 'victim_harm': 20.0}

    References
    ----------
    .. [1] Papachristos, A. V., Braga, A. A., & Hureau, D. M. (2012). Social networks and the
       risk of gunshot injury. *Journal of Urban Health* 89(6), 992–1003.
       https://doi.org/10.1007/s11524-012-9703-9
    """
    events = _incident_events(
        incidents, involvements, start, end, boroughs, categories, locations, harm_table
    )
    offenders = _taking_part(events, roles)
    victims = _taking_part(events, "victim")
    as_offender = _tally(offenders, "person_id").add_prefix("offender_")
    as_victim = _tally(victims, "person_id").add_prefix("victim_")
    people = as_offender.join(as_victim, how="outer", sort=False).fillna(0)
    people = people.astype({"offender_incidents": int, "victim_incidents": int})
    pairs = offenders.merge(
        victims[["incident_id", "person_id"]], on="incident_id", suffixes=("", "_victim")
    )
    pairs = pairs.loc[pairs["person_id"] != pairs["person_id_victim"]]
    G = nx.DiGraph(name="victim-offender")
    G.add_nodes_from(_records(people))
    _add_edges(G, pairs, ["person_id", "person_id_victim"])
    _describe(G, persons, "person_id", PERSON_ATTRIBUTES)
    return G


def person_location_graph(
    incidents: pd.DataFrame,
    involvements: pd.DataFrame,
    *,
    start: DateLike | None = None,
    end: DateLike | None = None,
    boroughs: Names | None = None,
    categories: Names | None = None,
    roles: Names = tuple(ROLES),
    locations: pd.DataFrame | None = None,
    persons: pd.DataFrame | None = None,
    harm_table: HarmTable | None = None,
) -> nx.Graph:
    """The two-mode network of people and the places of their incidents.

    People are tied to the locations where they were involved in a chosen incident; people
    who share places without sharing incidents meet in it, as persons meet through groups
    [1]_. Incidents without a ``location_id`` are left out.

    Parameters
    ----------
    incidents : DataFrame
        As for :func:`co_offending_graph`, with ``location_id``.
    involvements, start, end, boroughs, categories, persons, harm_table
        As for :func:`co_offending_graph`.
    roles : str or iterable of str, default all four roles
        The roles that tie a person to a place.
    locations : DataFrame, optional
        ``location_id`` and any other columns of the contract, copied onto the place nodes;
        needed with ``boroughs``.

    Returns
    -------
    nx.Graph
        Bipartite: people have ``bipartite=0`` and ``kind="person"``, places ``bipartite=1``
        and ``kind="location"``; both have ``incidents`` and ``harm`` (of the chosen
        incidents they were in or saw). Edges have ``incidents``, ``harm`` and ``distance``.

    Raises
    ------
    AnalysisError
        As :func:`co_offending_graph`, and when a ``person_id`` equals a ``location_id``
        (the two kinds of node would merge).

    Examples
    --------
    >>> incidents = pd.DataFrame({"incident_id": ["I1", "I2", "I3"],
    ...     "occurred_at": ["2024-01-05", "2024-01-06", "2024-01-07"],
    ...     "offence": ["violence_without_injury", "racially_aggravated_public_order",
    ...                 "harassment"], "location_id": ["L1", "L1", None]})
    >>> involvements = pd.DataFrame({"person_id": ["P1", "P2", "P1", "P3"],
    ...     "incident_id": ["I1", "I1", "I2", "I3"],
    ...     "role": ["offender", "victim", "offender", "offender"]})
    >>> G = person_location_graph(incidents, involvements)
    >>> sorted(G.edges(data="incidents"))
    [('P1', 'L1', 2), ('P2', 'L1', 1)]
    >>> G.nodes["L1"]
    {'bipartite': 1, 'kind': 'location', 'incidents': 2, 'harm': 30.0}

    References
    ----------
    .. [1] Breiger, R. L. (1974). The duality of persons and groups. *Social Forces* 53(2),
       181–190. https://doi.org/10.2307/2576011
    """
    require_columns(incidents, "incidents", ["location_id"])
    events = _incident_events(
        incidents, involvements, start, end, boroughs, categories, locations, harm_table
    )
    present = _taking_part(events.loc[events["location_id"].notna()], roles)
    clash = set(present["person_id"]) & set(present["location_id"])
    if clash:
        raise AnalysisError(f"{sorted(clash)[0]!r} is both a person_id and a location_id")
    G = nx.Graph(name="person-location")
    G.add_nodes_from(_records(_tally(present, "person_id")), bipartite=0, kind="person")
    places = _tally(present.drop_duplicates("incident_id"), "location_id")
    G.add_nodes_from(_records(places), bipartite=1, kind="location")
    _add_edges(G, present, ["person_id", "location_id"])
    _describe(G, persons, "person_id", PERSON_ATTRIBUTES)
    if locations is not None:
        _describe(G, locations, "location_id", [c for c in locations.columns if c != "location_id"])
    return G


def _association_links(associations: pd.DataFrame, types: Names | None) -> pd.DataFrame:
    """``person_a``, ``person_b`` (in order), ``type`` and ``weight`` of each association of
    ``types`` (all when None), missing types read as ``"associate"`` and weights as 1."""
    require_columns(associations, "associations", ["person_a", "person_b"])
    a, b = associations["person_a"], associations["person_b"]
    in_order = a <= b
    links = pd.DataFrame(
        {
            "person_a": a.where(in_order, b),
            "person_b": b.where(in_order, a),
            "type": associations["type"].fillna("associate")
            if "type" in associations
            else "associate",
            "weight": pd.to_numeric(associations["weight"]).fillna(1.0)
            if "weight" in associations
            else 1.0,
        }
    )
    if types is not None:
        links = links.loc[links["type"].isin(_allowed(types, ASSOCIATION_TYPES, "type"))]
    weak = ~(links["weight"] > 0)
    if weak.any():
        row = links.loc[weak].iloc[0]
        raise AnalysisError(
            f"association ({row['person_a']!r}, {row['person_b']!r}): "
            f"weight {row['weight']} is not a positive number"
        )
    return links


def association_graph(associations: pd.DataFrame, *, types: Names | None = None) -> nx.Graph:
    """The network of known associations (family, partner, gang, associate) between people.

    An association is undirected; rows for the same two people (in either order, of several
    types) become one edge.

    Parameters
    ----------
    associations : DataFrame
        ``person_a``, ``person_b``, and optionally ``type`` (missing: ``"associate"``) and
        ``weight`` (missing: 1).
    types : str or iterable of str, optional
        Keep only these kinds of association (:data:`ASSOCIATION_TYPES`).

    Returns
    -------
    nx.Graph
        Edges have ``weight`` (the summed strengths, a **strength**), ``type`` (the kinds,
        sorted and comma-separated, e.g. ``"family,gang"``) and ``distance`` (``1 / weight``).

    Raises
    ------
    AnalysisError
        For a missing column, an unknown type, or a weight that is not a positive number.

    Examples
    --------
    >>> associations = pd.DataFrame({"person_a": ["P2", "P1", "P3"],
    ...     "person_b": ["P1", "P2", "P4"], "type": ["family", "gang", None],
    ...     "weight": [1.0, 3.0, None]})
    >>> G = association_graph(associations)
    >>> G.edges["P1", "P2"]
    {'weight': 4.0, 'type': 'family,gang', 'distance': 0.25}
    >>> G.edges["P3", "P4"]["type"]
    'associate'
    >>> sorted(association_graph(associations, types="gang").edges)
    [('P1', 'P2')]
    """
    links = _association_links(associations, types)
    edges = links.groupby(["person_a", "person_b"], sort=False).agg(
        weight=("weight", "sum"), type=("type", lambda kinds: ",".join(sorted(set(kinds))))
    )
    edges["distance"] = 1 / edges["weight"]
    G = nx.Graph(name="associations")
    G.add_edges_from((u, v, data) for (u, v), data in _records(edges))
    return G


def person_network(
    incidents: pd.DataFrame,
    involvements: pd.DataFrame,
    associations: pd.DataFrame,
    *,
    tie_weights: Mapping[str, float],
    start: DateLike | None = None,
    end: DateLike | None = None,
    locations: pd.DataFrame | None = None,
    harm_table: HarmTable | None = None,
) -> nx.Graph:
    """The network of people tied in the chosen layers, one edge per pair.

    The layers are :data:`TIE_LAYERS`: ``"co-offending"`` (incidents shared as offender or
    suspect in ``[start, end)``, as in :func:`co_offending_graph`) and each association type
    (undated, so every association counts). A pair tied in several layers gets one edge with

    * ``weight = Σ_layer tie_weights[layer] × strength_layer``, the strength being the
      incidents shared (co-offending) or the summed ``weight`` of the pair's associations of
      that type (a missing weight is 1), a **strength**;
    * ``distance = 1 / weight``, the **cost** path-based measures read;
    * ``layers``, the layers that tie them (in :data:`TIE_LAYERS` order, comma-separated);
    * ``incidents`` and ``harm`` of the shared incidents (0 for a pair never co-offending).

    Nodes are everyone with a tie in a chosen layer, and with ``"co-offending"`` chosen every
    offender or suspect of the window (those who offended alone too), carrying ``incidents``
    and ``harm`` (0 for people known only through associations). Nodes and edges are added in
    sorted order, so that the graph, and every seeded measure on it, is the same whatever
    the order of the input rows. A person tied to themself gets no loop.

    Parameters
    ----------
    incidents, involvements, start, end, locations, harm_table
        As for :func:`co_offending_graph`.
    associations : DataFrame
        ``person_a``, ``person_b``, and optionally ``type`` (missing: ``"associate"``) and
        ``weight``.
    tie_weights : mapping
        The chosen layers and their weights (each > 0); layers not named are left out.

    Raises
    ------
    AnalysisError
        For an unknown layer, a weight that is not a positive number, or as
        :func:`co_offending_graph` and :func:`association_graph`.

    Examples
    --------
    P1 and P2 share two incidents and are in the same gang; P2 and P3 are family:

    >>> incidents = pd.DataFrame({"incident_id": ["I1", "I2"],
    ...     "occurred_at": ["2024-01-05", "2024-02-10"],
    ...     "offence": ["personal_robbery", "violence_without_injury"]})
    >>> involvements = pd.DataFrame({"person_id": ["P1", "P2", "P1", "P2"],
    ...     "incident_id": ["I1", "I1", "I2", "I2"], "role": ["offender"] * 4})
    >>> associations = pd.DataFrame({"person_a": ["P2", "P3"], "person_b": ["P1", "P2"],
    ...     "type": ["gang", "family"], "weight": [1.0, 0.5]})
    >>> G = person_network(incidents, involvements, associations,
    ...     tie_weights={"co-offending": 1.0, "gang": 2.0, "family": 1.0})
    >>> G.edges["P1", "P2"]
    {'weight': 4.0, 'distance': 0.25, 'layers': 'co-offending,gang', 'incidents': 2, 'harm': 375.0}
    >>> G.edges["P2", "P3"]["weight"], G.nodes["P3"]
    (0.5, {'incidents': 0, 'harm': 0.0})
    >>> sorted(person_network(incidents, involvements, associations,
    ...     tie_weights={"family": 1.0}).edges)
    [('P2', 'P3')]
    """
    for layer, weight in tie_weights.items():
        if layer not in TIE_LAYERS:
            raise AnalysisError(f"tie layer {layer!r} is not one of {', '.join(TIE_LAYERS)}")
        if not (isinstance(weight, int | float) and weight > 0 and weight != float("inf")):
            raise AnalysisError(
                f"tie layer {layer!r}: weight {weight!r} is not a positive number"
                " (leave a layer out by not choosing it)"
            )
    ties: list[pd.DataFrame] = []
    people: list[pd.DataFrame] = []
    if CO_OFFENDING in tie_weights:
        G = co_offending_graph(
            incidents,
            involvements,
            start=start,
            end=end,
            locations=locations,
            harm_table=harm_table,
        )
        people.append(pd.DataFrame.from_dict(dict(G.nodes(data=True)), orient="index"))
        ties.append(
            pd.DataFrame(
                [(*sorted((u, v)), d["incidents"], d["harm"]) for u, v, d in G.edges(data=True)],
                columns=["person_a", "person_b", "incidents", "harm"],
            ).assign(layer=CO_OFFENDING, strength=lambda t: t["incidents"].astype(float))
        )
    chosen_types = [layer for layer in tie_weights if layer in ASSOCIATION_TYPES]
    if chosen_types and len(associations):
        links = _association_links(associations, chosen_types)
        strengths = links.groupby(["person_a", "person_b", "type"], sort=False)["weight"].sum()
        ties.append(
            strengths.rename("strength")
            .reset_index()
            .rename(columns={"type": "layer"})
            .assign(incidents=0, harm=0.0)
        )
    columns = ["person_a", "person_b", "layer", "strength", "incidents", "harm"]
    tied = pd.concat(
        [pd.DataFrame(columns=columns), *(t[columns] for t in ties if len(t))], ignore_index=True
    )
    tied = tied.loc[tied["person_a"] != tied["person_b"]].astype(
        {"strength": float, "incidents": "int64", "harm": float}
    )
    tied["weight"] = tied["strength"] * tied["layer"].map(tie_weights).astype(float)
    tied["order"] = tied["layer"].map(TIE_LAYERS.index)
    tied = tied.sort_values(["person_a", "person_b", "order"], kind="stable")
    edges = tied.groupby(["person_a", "person_b"], sort=True).agg(
        weight=("weight", "sum"),
        layers=("layer", ",".join),
        incidents=("incidents", "sum"),
        harm=("harm", "sum"),
    )
    edges.insert(1, "distance", 1 / edges["weight"])
    tied_people = pd.Index(tied["person_a"]).append(pd.Index(tied["person_b"]))
    nodes = pd.concat([*people, pd.DataFrame(index=tied_people)])
    nodes = nodes[~nodes.index.duplicated()].sort_index()
    nodes = nodes.reindex(columns=["incidents", "harm"]).fillna(0)
    nodes = nodes.astype({"incidents": "int64", "harm": float})
    chosen = ",".join(layer for layer in TIE_LAYERS if layer in tie_weights)
    network = nx.Graph(name="people", layers=chosen)
    network.add_nodes_from(_records(nodes))
    network.add_edges_from((u, v, d) for (u, v), d in _records(edges))
    return network
