"""The scheduled centrality report: who is central now, who is new, who moved, which victims
are repeating and which places carry the harm.

:func:`build_report` reads the graph, runs :func:`graphvc.analysis.pipeline.analyse` and
writes one dated folder (see :mod:`graphvc.reports.folders`)::

    offenders.csv        the top of the priority list, every part of the score as a column
    changes.csv          entered, left, moved up or down, against the previous report
    repeat_victims.csv   the victims victimised most often in the year to the as-of date
    places.csv           the locations, wards and boroughs carrying the most harm
    communities.csv      the co-offending communities of the listed people
    exposure.csv         people within two co-offending steps of a gun or knife victim
    trend.csv            incidents and harm per month and continuum category
    proportionality.csv  the lists' make-up by age band, sex and ethnicity beside their pools
    report.html          one self-contained page of all of it, with charts
    manifest.json        parameters, versions, data counts and hashes, to trace every figure

with a Parquet copy of every table. The same data, parameters and seed give the same bytes.
The pure helpers (``*_table``, :func:`rank_changes`, :func:`pseudonym`, :func:`manifest`)
work without a database.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import platform
from collections.abc import Callable, Hashable, Iterable, Mapping
from datetime import date
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

import neo4j
import networkx as nx
import numpy as np
import pandas as pd

from graphvc import __version__, harm_index
from graphvc.analysis.harm import PERPETRATOR_ROLES, incident_harm, person_incidents, rolling_window
from graphvc.analysis.pipeline import AnalysisParameters, AnalysisResult, analyse, read_graph_tables
from graphvc.analysis.projections import co_offending_graph
from graphvc.analysis.proportionality import proportionality
from graphvc.db import server_version
from graphvc.errors import ConfigError, ReportError
from graphvc.model import CATEGORIES
from graphvc.reports import folders
from graphvc.reports.html import render_report

__all__ = [
    "CHANGES",
    "EXPOSURE_STEPS",
    "MIN_KEY_LENGTH",
    "REPORT",
    "TABLES",
    "build_report",
    "check_options",
    "communities_table",
    "core_network",
    "exposure_table",
    "manifest",
    "offenders_table",
    "places_table",
    "proportionality_table",
    "pseudonym",
    "pseudonymise_ids",
    "rank_changes",
    "repeat_victims_table",
    "report_tables",
    "top_with_ties",
    "trend_table",
]

log = logging.getLogger(__name__)

REPORT = "centrality"
#: The tables of a report, in the order of the page.
TABLES = (
    "offenders",
    "changes",
    "repeat_victims",
    "places",
    "communities",
    "exposure",
    "trend",
    "proportionality",
)
#: The kinds of change, in the order of ``changes.csv``.
CHANGES = ("entered", "up", "down", "unchanged", "left")
#: The shortest pseudonym key accepted: a short key could be found by trying every key.
MIN_KEY_LENGTH = 16
#: People at most this many co-offending steps from a gun or knife victim are listed as
#: exposed (the risk falls with each step: Papachristos, Braga & Hureau, 2012).
EXPOSURE_STEPS = 2
#: The scores whose distribution over everyone scored the page draws.
_DISTRIBUTIONS = ("priority", "rfg", "betweenness", "harm_pagerank")
_PLACE_LEVELS = {
    "borough": ("borough_code", "borough_name"),
    "ward": ("ward_code", "ward_name"),
    "location": ("location_id", "name"),
}
_SORT_KEYS = {
    "incidents": ["incident_id"],
    "involvements": ["person_id", "incident_id", "role"],
    "locations": ["location_id"],
    "persons": ["person_id"],
    "associations": ["person_a", "person_b", "type"],
}


def check_options(
    *,
    as_of: pd.Timestamp | date | str | None = None,
    window_days: int = 730,
    top: int = 20,
    pseudonymise: bool = False,
    key: str | None = None,
) -> pd.Timestamp | None:
    """Check a report's options before any work; return ``as_of`` as a timestamp.

    Raises :class:`ConfigError` with a one-line reason: a window or list length below 1,
    ``pseudonymise`` without a key (``GRAPHVC_PSEUDONYM_KEY``) or with one shorter than
    :data:`MIN_KEY_LENGTH`, or an ``as_of`` that is not a plain date (a report covers
    whole days and is named after its date).

    Examples
    --------
    >>> check_options(as_of="2025-01-03")
    Timestamp('2025-01-03 00:00:00')
    >>> check_options(pseudonymise=True)
    Traceback (most recent call last):
    ...
    graphvc.errors.ConfigError: --pseudonymise needs GRAPHVC_PSEUDONYM_KEY: set it to a secret of at least 16 characters, the same for every run
    """
    if not (isinstance(window_days, int) and window_days >= 1):
        raise ConfigError(f"--window {window_days!r} must be a whole number of days, at least 1")
    if not (isinstance(top, int) and top >= 1):
        raise ConfigError(f"--top {top!r} must be a whole number, at least 1")
    if pseudonymise and not key:
        raise ConfigError(
            "--pseudonymise needs GRAPHVC_PSEUDONYM_KEY: set it to a secret of at least "
            f"{MIN_KEY_LENGTH} characters, the same for every run"
        )
    if pseudonymise and key is not None and len(key) < MIN_KEY_LENGTH:
        raise ConfigError(
            f"GRAPHVC_PSEUDONYM_KEY is {len(key)} characters long; use at least {MIN_KEY_LENGTH}"
        )
    if as_of is None:
        return None
    try:
        moment = pd.Timestamp(as_of)
    except (ValueError, TypeError):
        raise ConfigError(f"--as-of {as_of!r} is not a date such as 2025-01-03") from None
    if moment.tz is not None or moment != moment.normalize():
        raise ConfigError(
            f"--as-of {as_of!r} must be a plain date such as 2025-01-03: a report covers whole days"
        )
    return moment


def pseudonym(person_id: str, key: str) -> str:
    """The keyed pseudonym of a person: ``"X"`` and the first 16 hex digits of
    HMAC-SHA256(key, id).

    The same id and key always give the same pseudonym, so a person can be followed from
    one report to the next; without the key the id cannot be recovered or guessed and
    checked. 64 bits make a collision among a million people a one-in-36-million chance
    (and :func:`pseudonymise_ids` refuses one).

    Examples
    --------
    >>> pseudonym("P1", "a key of sixteen+")
    'Xa687428b137413ea'

    References
    ----------
    .. [1] Krawczyk, H., Bellare, M., & Canetti, R. (1997). *HMAC: keyed-hashing for
       message authentication*. RFC 2104. doi:10.17487/RFC2104
    """
    digest = hmac.new(key.encode("utf-8"), str(person_id).encode("utf-8"), hashlib.sha256)
    return "X" + digest.hexdigest()[:16]


def _key_id(key: str) -> str:
    """A fingerprint of the pseudonym key, to tell whether two reports used the same one."""
    return hmac.new(key.encode("utf-8"), b"graphvc pseudonym key", hashlib.sha256).hexdigest()[:12]


def pseudonymise_ids(ids: pd.Series | pd.Index, key: str) -> pd.Series:
    """``ids`` replaced by their :func:`pseudonym` (missing values kept).

    Raises :class:`ConfigError` in the (one-in-billions) case that two ids share one.
    """
    values = pd.Series(ids, dtype="string")
    known = values.dropna().unique()
    mapping = {value: pseudonym(value, key) for value in known}
    if len(set(mapping.values())) < len(mapping):
        raise ConfigError("two person ids share a pseudonym: choose another GRAPHVC_PSEUDONYM_KEY")
    return values.map(mapping, na_action="ignore").astype("string")


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
        own = events[events["person_id"].isin(ids)].drop_duplicates("incident_id")
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


def rank_changes(
    current: pd.DataFrame,
    previous: pd.DataFrame | None,
    *,
    ranking: pd.Series | None = None,
) -> pd.DataFrame:
    """How the list changed since the previous report.

    Parameters
    ----------
    current, previous : pandas.DataFrame
        The lists (``person_id``, ``rank``, ``priority``) of this report and the previous
        one; ``previous`` is ``None`` for a first report (the table is then empty).
    ranking : pandas.Series, optional
        Everyone's rank now (by ``person_id``), to show where those who left stand now.

    Returns
    -------
    pandas.DataFrame
        One row per person on either list: ``person_id``, ``change`` (``entered`` the
        list, moved ``up`` or ``down``, ``unchanged``, or ``left`` it), ``rank`` (now;
        empty for someone no longer scored), ``previous_rank``, ``places_moved``
        (previous rank − rank: positive is up) and ``priority``, ``previous_priority``.
        Sorted by change (in :data:`CHANGES` order), then rank, then person.

    Examples
    --------
    >>> now = pd.DataFrame({"person_id": ["A", "C", "B"], "rank": [1, 2, 3],
    ...                     "priority": [0.9, 0.8, 0.7]})
    >>> before = pd.DataFrame({"person_id": ["B", "A", "D"], "rank": [1, 2, 3],
    ...                        "priority": [0.9, 0.8, 0.6]})
    >>> changes = rank_changes(now, before, ranking=pd.Series({"A": 1, "C": 2, "B": 3, "D": 7}))
    >>> changes["person_id"].tolist(), changes["change"].tolist()
    (['C', 'A', 'B', 'D'], ['entered', 'up', 'down', 'left'])
    >>> changes["places_moved"].tolist()
    [<NA>, 1, -2, -4]
    """
    columns = [
        "person_id",
        "change",
        "rank",
        "previous_rank",
        "places_moved",
        "priority",
        "previous_priority",
    ]
    if previous is None:
        types = dict.fromkeys(columns, "Int64") | {
            "person_id": "string",
            "change": "string",
            "priority": "float64",
            "previous_priority": "float64",
        }
        return pd.DataFrame({c: pd.Series(dtype=types[c]) for c in columns})
    now = current.set_index(current["person_id"].astype("string"))[["rank", "priority"]]
    before = previous.set_index(previous["person_id"].astype("string"))[["rank", "priority"]]
    table = now.join(before.add_prefix("previous_"), how="outer")
    table.index.name = "person_id"
    change = np.select(
        [
            table["previous_rank"].isna(),
            table["rank"].isna(),
            table["previous_rank"] > table["rank"],
            table["previous_rank"] < table["rank"],
        ],
        ["entered", "left", "up", "down"],
        "unchanged",
    )
    if ranking is not None:
        left = change == "left"
        ranks = pd.Series(ranking, dtype="Int64").reindex(table.index[left])
        table.loc[left, "rank"] = ranks.to_numpy()
    table["rank"] = table["rank"].astype("Int64")
    table["previous_rank"] = table["previous_rank"].astype("Int64")
    table["change"] = change
    table["places_moved"] = table["previous_rank"] - table["rank"]
    order = table["change"].map({c: i for i, c in enumerate(CHANGES)})
    table = table.assign(_order=order, _rank=table["rank"].fillna(table["previous_rank"]))
    table = table.reset_index().sort_values(["_order", "_rank", "person_id"], kind="stable")
    table["person_id"] = table["person_id"].astype("string")
    table["change"] = table["change"].astype("string")
    return table[columns].reset_index(drop=True)


def report_tables(
    result: AnalysisResult, tables: Mapping[str, pd.DataFrame], G: nx.Graph, *, top: int
) -> dict[str, pd.DataFrame]:
    """Every table of a report but ``changes``, from an analysis and its input tables (the
    people as they are: :func:`pseudonymise_ids` their ids afterwards)."""
    start, end = rolling_window(result.parameters.as_of, result.parameters.window_days)
    offenders = offenders_table(result.people, top)
    victims = repeat_victims_table(result.repeat_victims, top)
    events = person_incidents(
        tables["incidents"], tables["involvements"], roles=PERPETRATOR_ROLES, start=start, end=end
    )
    victim_start, _ = rolling_window(end, result.parameters.repeat_window_days)
    victimised = person_incidents(
        tables["incidents"], tables["involvements"], roles=("victim",), start=victim_start, end=end
    )
    lists: dict[str, tuple[Iterable[Hashable], Iterable[Hashable]]] = {
        "offenders": (offenders["person_id"], result.people.index),
        "repeat_victims": (victims["person_id"], victimised["person_id"].drop_duplicates()),
    }
    return {
        "offenders": offenders,
        "repeat_victims": victims,
        "places": places_table(result.places, top),
        "communities": communities_table(result.people, offenders["person_id"], G, events),
        "exposure": exposure_table(result.exposure, result.people),
        "trend": trend_table(tables["incidents"], start=start, end=end),
        "proportionality": proportionality_table(lists, tables["persons"]),
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


def _canonical(tables: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The tables in a fixed row order, whatever order the database returned them in."""
    return {
        name: frame.sort_values(
            _SORT_KEYS.get(name, list(frame.columns)), kind="stable"
        ).reset_index(drop=True)
        for name, frame in tables.items()
    }


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _data_hash(tables: Mapping[str, pd.DataFrame]) -> str:
    """One hash of the analysed tables' contents (rows in canonical order)."""
    digest = hashlib.sha256()
    for name in sorted(tables):
        frame = tables[name]
        digest.update(f"{name}:{','.join(map(str, frame.columns))}\n".encode())
        digest.update(
            pd.util.hash_pandas_object(frame.astype(str), index=False).to_numpy().tobytes()
        )
    return digest.hexdigest()


def _versions(neo4j_version: Mapping[str, str]) -> dict[str, Any]:
    packages: dict[str, str | None] = {}
    for package in ("neo4j", "pandas", "numpy", "networkx", "igraph", "pyarrow"):
        try:
            packages[package] = package_version(package)
        except PackageNotFoundError:
            packages[package] = None
    return {
        "graphvc": __version__,
        "neo4j": dict(neo4j_version),
        "python": platform.python_version(),
        "packages": packages,
    }


def manifest(
    *,
    parameters: AnalysisParameters,
    top: int,
    pseudonymised: bool,
    key_id: str | None,
    harm_table_sha256: str,
    database: str,
    graph_counts: Mapping[str, int],
    data_hash: str,
    summary: Mapping[str, Any],
    versions: Mapping[str, Any],
    previous: str | None,
) -> dict[str, Any]:
    """A report's manifest, without its ``files`` (added once they are written).

    ``config_hash`` is the SHA-256 of everything chosen rather than found: the analysis
    parameters, the list length, the pseudonymisation (and key fingerprint) and the harm
    table. Two reports with the same ``config_hash`` and ``data_hash`` made with the same
    versions have the same tables. No wall-clock time is recorded, so a rerun is
    byte-identical.

    Examples
    --------
    >>> params = AnalysisParameters(as_of=pd.Timestamp("2025-01-03"))
    >>> m = manifest(parameters=params, top=10, pseudonymised=False, key_id=None,
    ...              harm_table_sha256="0" * 64, database="neo4j", graph_counts={},
    ...              data_hash="1" * 64, summary={}, versions={}, previous=None)
    >>> m["as_of"], m["parameters"]["top"], len(m["config_hash"])
    ('2025-01-03', 10, 64)
    """
    chosen = {**parameters.as_dict(), "top": top, "pseudonymised": pseudonymised}
    config = {
        "report": REPORT,
        "parameters": chosen,
        "pseudonym_key_id": key_id,
        "harm_table_sha256": harm_table_sha256,
    }
    return {
        "report": REPORT,
        "as_of": parameters.as_of.date().isoformat(),
        "parameters": chosen,
        "pseudonym_key_id": key_id,
        "previous_report": previous,
        "config_hash": _sha256(json.dumps(config, sort_keys=True).encode("utf-8")),
        "harm_table_sha256": harm_table_sha256,
        "data": {
            "database": database,
            "graph": dict(graph_counts),
            "data_hash": data_hash,
            "analysis": dict(summary),
        },
        "versions": dict(versions),
    }


def _comparable(key_id: str | None, pseudonymised: bool) -> Callable[[Mapping[str, Any]], bool]:
    """Whether a previous report names people the way this one does."""

    def check(previous: Mapping[str, Any]) -> bool:
        return (
            previous.get("report") == REPORT
            and bool(previous.get("parameters", {}).get("pseudonymised")) == pseudonymised
            and previous.get("pseudonym_key_id") == key_id
        )

    return check


def _read_list(report: Path) -> pd.DataFrame:
    return pd.read_csv(
        report / "offenders.csv",
        usecols=["person_id", "rank", "priority"],
        dtype={"person_id": "string"},
    )


def _write_files(
    folder: Path, report: Mapping[str, pd.DataFrame], page: str, about: Mapping[str, Any]
) -> None:
    """Every table as CSV and Parquet, the page, and last the manifest with their hashes."""
    files: dict[str, dict[str, Any]] = {}
    for table in TABLES:
        for suffix, data in zip(
            ("csv", "parquet"), folders.table_files(report[table]), strict=True
        ):
            digest = folders.write_file(folder / f"{table}.{suffix}", data)
            files[f"{table}.{suffix}"] = {"rows": len(report[table]), "sha256": digest}
    files["report.html"] = {"sha256": folders.write_file(folder / "report.html", page.encode())}
    text = json.dumps({**about, "files": files}, indent=2, sort_keys=True, default=str)
    folders.write_file(folder / folders.MANIFEST, (text + "\n").encode("utf-8"))


def build_report(
    driver: neo4j.Driver,
    out_dir: str | Path,
    *,
    as_of: pd.Timestamp | date | str,
    window_days: int = 730,
    top: int = 20,
    pseudonymise: bool = False,
    key: str | None = None,
    seed: int = 0,
    database: str = "neo4j",
) -> Path:
    """Analyse the graph as of ``as_of`` and write the report to ``out_dir/<as_of date>/``.

    The report is written into a staging folder in ``out_dir`` and renamed into place only
    when complete; ``out_dir/latest`` then points at the newest complete report. A
    failure leaves no folder behind and ``latest`` unmoved. Changes are counted against
    the newest complete report dated before ``as_of`` that names people the same way
    (pseudonymised with the same key, or not).

    Parameters
    ----------
    driver : neo4j.Driver
    out_dir : str or Path
        The folder of reports (created when missing).
    as_of : date-like
        A plain date: the network covers ``[as_of - window_days, as_of)``.
    window_days : int, default 730
    top : int, default 20
        How many people, victims and places each list holds (ties at the cut kept).
    pseudonymise : bool, default False
        Replace every person id by its :func:`pseudonym` under ``key``.
    key : str, optional
        The pseudonym key (``GRAPHVC_PSEUDONYM_KEY``).
    seed : int, default 0
        Seed of the community detection, the sampled betweenness and the network layout.
    database : str, default "neo4j"

    Returns
    -------
    Path
        The report's folder.

    Raises
    ------
    ConfigError
        Bad options (see :func:`check_options`).
    AnalysisError
        The graph holds no incident, or no offender in the window.
    DatabaseError
        Neo4j is unreachable or fails a query.
    ReportError
        ``out_dir`` or a file in it cannot be written.
    """
    moment = check_options(
        as_of=as_of, window_days=window_days, top=top, pseudonymise=pseudonymise, key=key
    )
    assert moment is not None
    name = moment.date().isoformat()
    out = Path(out_dir)
    parameters = AnalysisParameters(as_of=moment, window_days=window_days, seed=seed)
    log.info("report %s: reading the graph (database %r)", name, database)
    neo4j_version = server_version(driver, database=database)
    tables = _canonical(read_graph_tables(driver, database=database))
    log.info(
        "report %s: analysing the graph's %s incidents, window %d days",
        name,
        f"{len(tables['incidents']):,}",
        window_days,
    )
    result = analyse(tables, parameters)
    start, end = rolling_window(moment, window_days)
    G = co_offending_graph(
        tables["incidents"],
        tables["involvements"],
        start=start,
        end=end,
        locations=tables["locations"],
    )
    report = report_tables(result, tables, G, top=top)

    key_id = _key_id(key) if pseudonymise and key else None
    every_id = (
        pd.Index(pd.concat([tables["persons"]["person_id"], tables["involvements"]["person_id"]]))
        .astype("string")
        .unique()
    )
    shown = pseudonymise_ids(every_id, key) if key_id and key else every_id
    names = dict(zip(every_id, shown, strict=True))
    ranking = result.people["rank"].rename(index=lambda person: names[str(person)])
    core = core_network(G, report["offenders"], names)
    for table in ("offenders", "repeat_victims", "exposure"):
        report[table]["person_id"] = report[table]["person_id"].map(names).astype("string")
    previous = folders.previous_report(out, name, comparable=_comparable(key_id, pseudonymise))
    report["changes"] = rank_changes(
        report["offenders"], _read_list(previous) if previous else None, ranking=ranking
    )
    harm = harm_index.load_harm_table()
    about = manifest(
        parameters=parameters,
        top=top,
        pseudonymised=pseudonymise,
        key_id=key_id,
        harm_table_sha256=_sha256(harm.table.to_csv(index=False).encode("utf-8")),
        database=database,
        graph_counts={table: len(frame) for table, frame in tables.items()},
        data_hash=_data_hash(tables),
        summary=result.summary,
        versions=_versions(neo4j_version),
        previous=previous.name if previous else None,
    )
    scores = result.people[[c for c in _DISTRIBUTIONS if c in result.people]]
    page = render_report(
        {t: report[t] for t in TABLES}, manifest=about, scores=scores, core=core, seed=seed
    )
    with folders.staging_folder(out, name) as staged:
        try:
            _write_files(staged, report, page, about)
        except OSError as e:
            raise ReportError(f"cannot write report {name} into {out}: {e}") from e
        published = folders.publish(staged, out, name)
    log.info(
        "report %s: %d people listed, %s; written to %s",
        name,
        len(report["offenders"]),
        f"changes against {previous.name}" if previous else "no earlier report to compare",
        published,
    )
    return published
