"""The tables of a report, shaped from an analysis run: each a plain function of a run's
tables, with its rows in a stable order so that the same run gives the same bytes."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping

import networkx as nx
import numpy as np
import pandas as pd

from graphvc.analysis.events import incident_harm, is_in, person_incidents, rolling_window
from graphvc.analysis.neighbourhoods import high_impact_wards
from graphvc.analysis.places import knox_test
from graphvc.analysis.proportionality import proportionality
from graphvc.contract import CATEGORIES
from graphvc.runs import AnalysisResult

__all__ = [
    "EXPOSURE_STEPS",
    "communities_table",
    "core_network",
    "exposure_table",
    "near_repeats_table",
    "neighbourhoods_table",
    "offenders_table",
    "places_table",
    "proportionality_table",
    "repeat_victims_table",
    "report_tables",
    "top_with_ties",
    "trend_table",
]

#: People at most this many co-offending steps from a gun or knife victim are listed as
#: exposed (the risk falls with each step: Papachristos, Braga & Hureau, 2012).
EXPOSURE_STEPS = 2
_PLACE_LEVELS = {
    "borough": ("borough_code", "borough_name"),
    "ward": ("ward_code", "ward_name"),
    "location": ("location_id", "name"),
}


def top_with_ties(table: pd.DataFrame, top: int, rank: str = "rank") -> pd.DataFrame:
    """The rows ranked ``top`` or better: the top ``top`` with every tie at the cut kept,
    so that no one is left off a list that ranks them equal to someone on it.

    Examples
    --------
    >>> table = pd.DataFrame({"rank": [1, 2, 2, 4]})
    >>> len(top_with_ties(table, 2)), len(top_with_ties(table, 1))
    (3, 1)
    """
    return table[table[rank] <= top]


def _rank_by(table: pd.DataFrame, columns: list[str]) -> pd.Series:
    """Rank 1 for the largest ``columns`` (compared in order); equal rows share the best."""
    ordered = table.sort_values(columns, ascending=False, kind="stable")
    new = ordered[columns].ne(ordered[columns].shift()).any(axis=1).to_numpy()
    positions = np.arange(1, len(ordered) + 1)
    ranks = np.maximum.accumulate(np.where(new, positions, 0))
    return pd.Series(ranks, index=ordered.index, dtype="int64").reindex(table.index)


def offenders_table(people: pd.DataFrame, top: int) -> pd.DataFrame:
    """The top of the priority list (:func:`top_with_ties`), ``person_id`` first, then
    ``rank``, ``priority`` and every column that makes it up; sorted by rank, then id.

    Examples
    --------
    >>> people = pd.DataFrame({"rank": [2, 1, 2, 4], "priority": [0.5, 0.9, 0.5, 0.1]},
    ...                       index=pd.Index(["B", "A", "C", "D"], name="person_id"))
    >>> offenders_table(people, 2)["person_id"].tolist()
    ['A', 'B', 'C']
    """
    table = people.rename_axis("person_id").reset_index()
    table["person_id"] = table["person_id"].astype("string")
    table = table.sort_values(["rank", "person_id"], kind="stable")
    return top_with_ties(table, top).reset_index(drop=True)


def repeat_victims_table(victims: pd.DataFrame, top: int) -> pd.DataFrame:
    """The top ``top`` repeat victims (ties kept), ranked by victimisations, then harm.

    Examples
    --------
    >>> victims = pd.DataFrame({"victimisations": [2, 3, 2], "harm": [10.0, 5.0, 10.0]},
    ...                        index=pd.Index(["V2", "V1", "V3"], name="person_id"))
    >>> repeat_victims_table(victims, 2)[["person_id", "rank"]].to_numpy().tolist()
    [['V1', 1], ['V2', 2], ['V3', 2]]
    """
    table = victims.rename_axis("person_id").reset_index()
    table["person_id"] = table["person_id"].astype("string")
    table.insert(1, "rank", _rank_by(table, ["victimisations", "harm"]))
    table = table.sort_values(["rank", "person_id"], kind="stable")
    return top_with_ties(table, top).reset_index(drop=True)


def places_table(places: Mapping[str, pd.DataFrame], top: int) -> pd.DataFrame:
    """The top ``top`` boroughs, wards and locations by harm (ties kept), as one table:
    ``level``, ``code``, ``name``, ``rank`` and the columns of
    :func:`graphvc.analysis.places.place_harm`.

    Examples
    --------
    >>> wards = pd.DataFrame({"rank": [1, 2], "ward_name": ["Aldersgate", "Cripplegate"],
    ...                       "harm": [730.0, 10.0]}, index=pd.Index(["W1", "W2"], name="ward_code"))
    >>> places_table({"ward": wards}, 1)[["level", "code", "name", "harm"]].to_numpy().tolist()
    [['ward', 'W1', 'Aldersgate', 730.0]]
    """
    frames = []
    for level, (code, name) in _PLACE_LEVELS.items():
        if level not in places:
            continue
        table = places[level].rename_axis(code).reset_index()
        table = table.rename(columns={code: "code", name: "name"})
        if "name" not in table:
            table["name"] = pd.NA
        table.insert(0, "level", level)
        table = table.sort_values(["rank", "code"], kind="stable")
        frames.append(top_with_ties(table, top))
    columns = ["level", "code", "name", "rank"]
    if not frames:
        return pd.DataFrame(columns=columns)
    table = pd.concat(frames, ignore_index=True)
    return table[[*columns, *[c for c in table.columns if c not in columns]]]


def communities_table(
    people: pd.DataFrame,
    listed: Iterable[str],
    G: nx.Graph,
    events: pd.DataFrame,
) -> pd.DataFrame:
    """The co-offending communities with someone on the list.

    Parameters
    ----------
    people : pandas.DataFrame
        The ranked people (``rank``, ``community``), indexed by ``person_id``.
    listed : iterable of str
        The people on the list.
    G : networkx.Graph
        The co-offending network the communities were found in.
    events : pandas.DataFrame
        One row per (perpetrator, incident) of the window, from
        :func:`graphvc.analysis.harm.person_incidents`.

    Returns
    -------
    pandas.DataFrame
        ``community``, ``people`` (members), ``listed`` (members on the list),
        ``best_rank``, ``links`` (co-offending ties inside), ``incidents`` and ``harm``
        (of the distinct incidents its members offended in, each counted once); sorted by
        best rank, then community.
    """
    columns = ["community", "people", "listed", "best_rank", "links", "incidents", "harm"]
    members = people[people["community"].notna()]
    on_list = set(listed)
    wanted = members.loc[members.index.isin(on_list), "community"].unique()
    rows = []
    for community in wanted:
        ids = members.index[members["community"] == community]
        own = events[is_in(events["person_id"], ids)].drop_duplicates("incident_id")
        rows.append(
            {
                "community": int(community),
                "people": len(ids),
                "listed": int(ids.isin(on_list).sum()),
                "best_rank": int(members.loc[ids, "rank"].min()),
                "links": G.subgraph(ids).number_of_edges(),
                "incidents": len(own),
                "harm": float(own["harm"].sum()),
            }
        )
    table = pd.DataFrame(rows, columns=columns)
    return table.sort_values(["best_rank", "community"], kind="stable").reset_index(drop=True)


def exposure_table(exposure: pd.DataFrame, people: pd.DataFrame) -> pd.DataFrame:
    """The people at most :data:`EXPOSURE_STEPS` co-offending steps from a victim of gun or
    knife violence, nearest and most surrounded first, with their priority ``rank``.

    Examples
    --------
    >>> exposure = pd.DataFrame({"is_victim": [False, True, False], "distance": [1.0, 0.0, np.inf],
    ...                          "victims_1": [1, 0, 0], "victims_2": [0, 0, 0]},
    ...                         index=pd.Index(["B", "A", "C"], name="person_id"))
    >>> people = pd.DataFrame({"rank": [1, 2]}, index=pd.Index(["B", "A"], name="person_id"))
    >>> exposure_table(exposure, people)[["person_id", "distance", "rank"]].to_numpy().tolist()
    [['A', 0.0, 2], ['B', 1.0, 1]]

    References
    ----------
    .. [1] Papachristos, A. V., Braga, A. A., & Hureau, D. M. (2012). Social networks and
       the risk of gunshot injury. *Journal of Urban Health*, 89(6), 992-1003.
       doi:10.1007/s11524-012-9703-9
    """
    near = exposure[exposure["distance"] <= EXPOSURE_STEPS].rename_axis("person_id").reset_index()
    near["person_id"] = near["person_id"].astype("string")
    near["rank"] = near["person_id"].map(people["rank"]).astype("Int64")
    near = near.sort_values(
        ["distance", "victims_1", "victims_2", "person_id"],
        ascending=[True, False, False, True],
        kind="stable",
    )
    return near.reset_index(drop=True)


def trend_table(incidents: pd.DataFrame, *, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Incidents and harm per calendar month and continuum category in ``[start, end)``:
    every month and category, zeros included; the first and last months may be partial.

    Examples
    --------
    >>> incidents = pd.DataFrame({"incident_id": ["I1", "I2"],
    ...     "occurred_at": ["2024-01-05", "2024-02-01"],
    ...     "offence": ["possession_weapon", "personal_robbery"]})
    >>> trend = trend_table(incidents, start=pd.Timestamp("2024-01-01"), end=pd.Timestamp("2024-03-01"))
    >>> trend[trend["incidents"] > 0][["month", "category", "harm"]].to_numpy().tolist()
    [['2024-01', 'knife_enabled', 274.0], ['2024-02', 'personal_robbery', 365.0]]
    """
    table = incident_harm(incidents, start=start, end=end)
    months = pd.period_range(start, end - pd.Timedelta(microseconds=1), freq="M").astype(str)
    grid = pd.MultiIndex.from_product([months, CATEGORIES], names=["month", "category"])
    table["month"] = table["occurred_at"].dt.to_period("M").astype(str)
    counted = table.groupby(["month", "category"]).agg(
        incidents=("incident_id", "size"), harm=("harm", "sum")
    )
    counted = counted.reindex(grid, fill_value=0)
    counted["incidents"] = counted["incidents"].astype("int64")
    counted["harm"] = counted["harm"].astype(float)
    return counted.reset_index()


def near_repeats_table(
    incidents: pd.DataFrame,
    locations: pd.DataFrame,
    *,
    start: pd.Timestamp,
    end: pd.Timestamp,
    metres: Iterable[float],
    days: Iterable[float],
    simulations: int,
    seed: int,
) -> pd.DataFrame:
    """The Knox test (:func:`graphvc.analysis.places.knox_test`) of the located incidents in
    ``[start, end)``, one row per distance and time band, with ``incidents`` (tested) and
    ``simulations`` as columns; no rows when fewer than two incidents have a place.

    References
    ----------
    .. [1] Ratcliffe, J. H., & Rengert, G. F. (2008). Near-repeat patterns in Philadelphia
       shootings. *Security Journal*, 21(1-2), 58-76. doi:10.1057/palgrave.sj.8350068
    """
    columns = [
        "distance_from_m",
        "distance_to_m",
        "days_from",
        "days_to",
        "observed",
        "simulated_mean",
        "knox_ratio",
        "simulations_ge",
        "p_value",
        "incidents",
        "simulations",
    ]
    located = locations.dropna(subset=["latitude", "longitude"])
    chosen = incident_harm(incidents, start=start, end=end)
    if chosen["location_id"].isin(located["location_id"]).sum() < 2:
        return pd.DataFrame(columns=columns)
    knox = knox_test(
        chosen,
        located.astype({"latitude": float, "longitude": float}),
        distance_bands=list(metres),
        time_bands=list(days),
        simulations=simulations,
        seed=seed,
    )
    return knox.assign(incidents=knox.attrs["incidents"], simulations=simulations)[columns]


def proportionality_table(
    lists: Mapping[str, tuple[Iterable[Hashable], Iterable[Hashable]]], persons: pd.DataFrame
) -> pd.DataFrame:
    """:func:`graphvc.analysis.proportionality.proportionality` of each named list beside
    its pool, as one table with a ``list`` column first.

    ``lists`` maps a list's name to (the people on it, the people it was drawn from).
    """
    frames = [
        proportionality(list(on_list), persons, population=list(pool)).assign(list=name)
        for name, (on_list, pool) in lists.items()
    ]
    table = pd.concat(frames, ignore_index=True)
    return table[["list", *[c for c in table.columns if c != "list"]]]


def neighbourhoods_table(result: AnalysisResult) -> pd.DataFrame:
    """High-impact neighbourhoods of the run: the wards with harm in the last quarter that
    were in the force's top decile by harm in it or in any of the three quarters before, by
    their share in the last quarter."""
    tables = result.tables
    wards = high_impact_wards(
        tables["incidents"], tables["locations"], as_of=result.parameters.moment
    )
    return wards[wards["periods_in_top_decile"] > 0].reset_index(drop=True)


def report_tables(result: AnalysisResult, *, top: int) -> dict[str, pd.DataFrame]:
    """Every table of the centrality report but ``changes``, from a run (the people as they
    are: :func:`graphvc.reports.pseudonyms.pseudonymise_ids` their ids afterwards)."""
    parameters = result.parameters
    start, end = rolling_window(parameters.moment, parameters.window_days)
    victims_start, _ = rolling_window(end, parameters.repeat_window_days)
    offenders = offenders_table(result.people, top)
    victims = repeat_victims_table(result.repeat_victims, top)
    victimised = person_incidents(
        result.tables["incidents"],
        result.tables["involvements"],
        roles=("victim",),
        start=victims_start,
        end=end,
    )
    lists: dict[str, tuple[Iterable[Hashable], Iterable[Hashable]]] = {
        "offenders": (offenders["person_id"], result.people.index),
        "repeat_victims": (victims["person_id"], victimised["person_id"].drop_duplicates()),
    }
    return {
        "offenders": offenders,
        "repeat_victims": victims,
        "places": places_table(result.places, top),
        "neighbourhoods": neighbourhoods_table(result),
        "communities": communities_table(
            result.people, offenders["person_id"], result.graph, result.events
        ),
        "exposure": exposure_table(result.exposure, result.people),
        "near_repeats": near_repeats_table(
            result.tables["incidents"],
            result.tables["locations"],
            start=start,
            end=end,
            metres=parameters.near_repeat_metres,
            days=parameters.near_repeat_days,
            simulations=parameters.near_repeat_simulations,
            seed=parameters.seed,
        ),
        "trend": trend_table(result.tables["incidents"], start=start, end=end),
        "proportionality": proportionality_table(lists, result.tables["persons"]),
    }


def core_network(G: nx.Graph, offenders: pd.DataFrame, names: Mapping[str, str]) -> nx.Graph:
    """The co-offending ties among the listed people, nodes renamed by ``names`` (their
    pseudonyms, or themselves) and carrying ``rank``, ``priority`` and ``community``."""
    listed = offenders.set_index("person_id")
    core = nx.Graph()
    for person, row in listed.iterrows():
        core.add_node(
            names[str(person)],
            rank=int(row["rank"]),
            priority=float(row["priority"]),
            community=int(row["community"]) if pd.notna(row.get("community")) else 0,
        )
    inside = G.subgraph([p for p in listed.index if p in G])
    for a, b in sorted(tuple(sorted((str(a), str(b)))) for a, b in inside.edges()):
        core.add_edge(names[a], names[b], incidents=G.edges[a, b].get("incidents", 1))
    return core
