"""Likely co-offenders of a person or an incident, read from the graph around them.

The explorer asks about one person (or incident) at a time, so it does not read the whole
graph: the person network is read hop by hop out from the seeds (each hop two bounded
queries, ``cypher/app/co_offender_incidents.cypher`` and ``co_offender_associations.cypher``),
``hops`` person-steps out or until ``max_people`` are found, and built as the analysis builds
it (:func:`graphvc.analysis.projections.person_network`). A walk that restarts with
probability 0.15 spends 0.85⁴ ≈ 52 % of its steps at most three steps out, so the people
beyond are few among the leads; the walk on this part of the network is the walk on the
whole network cut at its edge, which the docs say.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import neo4j
import networkx as nx
import pandas as pd

from graphvc.analysis.projections import TIE_LAYERS, person_network
from graphvc.db import read_cypher, run_query
from graphvc.errors import QueryError
from graphvc.predict.co_offenders import likely_co_offenders

__all__ = ["MAX_PEOPLE", "Leads", "co_offender_leads", "neighbourhood_network", "seeds_of"]

#: The most people read around the seeds.
MAX_PEOPLE = 3000
#: Rows a hop's query may return before the hop is cut.
_ROWS = 200_000


@dataclass(frozen=True)
class Leads:
    """The seeds a list of likely co-offenders started from, the list (``person_id``,
    ``score``, ``path``), how many people the walk ran on and whether the read stopped at
    :data:`MAX_PEOPLE`."""

    seeds: list[str]
    leads: pd.DataFrame
    people: int
    truncated: bool


def seeds_of(
    driver: neo4j.Driver, node_id: str, *, database: str = "neo4j", timeout: float | None = None
) -> list[str]:
    """The seeds for ``node_id``: the person themself, or an incident's known offenders and
    suspects (none for any other id)."""
    person = run_query(
        driver,
        read_cypher("app/person_node"),
        {"person_id": node_id},
        database=database,
        timeout=timeout,
    )
    if len(person):
        return [node_id]
    found = run_query(
        driver,
        read_cypher("app/incident_perpetrators"),
        {"incident_id": node_id},
        database=database,
        timeout=timeout,
    )
    return [str(p) for p in found.get("person_id", [])]


def _instant(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def neighbourhood_network(
    driver: neo4j.Driver,
    seeds: list[str],
    *,
    hops: int = 3,
    tie_weights: Mapping[str, float] | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    max_people: int = MAX_PEOPLE,
    database: str = "neo4j",
    timeout: float | None = None,
) -> tuple[nx.Graph, bool]:
    """The person network within ``hops`` person-steps of ``seeds`` (shared offending in
    ``[start, end)``, associations undated), with the tie layers and weights of
    ``tie_weights`` (default: every layer, weight 1, as ``graphvc analyse``); every seed is a
    node, tied or not. Also whether the read stopped at ``max_people``."""
    weights = dict(tie_weights or dict.fromkeys(TIE_LAYERS, 1.0))
    window = {"start": _instant(start), "end": _instant(end)}
    seen, frontier, truncated = set(seeds), list(seeds), False
    shared: list[pd.DataFrame] = []
    linked: list[pd.DataFrame] = []
    for _ in range(hops):
        if not frontier:
            break
        step = {"ids": frontier, "limit": _ROWS}
        incidents = run_query(
            driver, read_cypher("app/co_offender_incidents"), {**step, **window},
            database=database, timeout=timeout,
        )  # fmt: skip
        associations = run_query(
            driver, read_cypher("app/co_offender_associations"), step,
            database=database, timeout=timeout,
        )  # fmt: skip
        shared.append(incidents)
        linked.append(associations)
        reached = {
            *incidents.get("person_id", []),
            *associations.get("person_a", []),
            *associations.get("person_b", []),
        }
        frontier = sorted(reached - seen)
        if len(seen) + len(frontier) > max_people:
            frontier, truncated = frontier[: max(max_people - len(seen), 0)], True
        seen.update(frontier)
    G = _network(shared, linked, seen, weights)
    G.add_nodes_from(seeds)
    return G, truncated


def _network(
    shared: list[pd.DataFrame],
    linked: list[pd.DataFrame],
    people: set[str],
    tie_weights: Mapping[str, float],
) -> nx.Graph:
    """The person network of the rows read, among ``people`` only."""
    involvement_columns = ["person_id", "incident_id", "role"]
    rows = pd.concat(
        [pd.DataFrame(columns=[*involvement_columns, "occurred_ms", "offence", "category", "harm"])]
        + [frame for frame in shared if len(frame)],
        ignore_index=True,
    )
    rows = rows.loc[rows["person_id"].isin(list(people))]
    incidents = rows.drop_duplicates("incident_id").assign(
        occurred_at=lambda t: pd.to_datetime(t["occurred_ms"].astype("int64"), unit="ms")
    )[["incident_id", "occurred_at", "offence", "category", "harm"]]
    involvements = rows[involvement_columns].drop_duplicates()
    links = pd.concat(
        [pd.DataFrame(columns=["person_a", "person_b", "type", "weight"])]
        + [frame for frame in linked if len(frame)],
        ignore_index=True,
    ).drop_duplicates()
    links = links.loc[links["person_a"].isin(list(people)) & links["person_b"].isin(list(people))]
    return person_network(incidents, involvements, links, tie_weights=tie_weights)


def co_offender_leads(
    driver: neo4j.Driver,
    node_id: str,
    *,
    k: int = 10,
    hops: int = 3,
    start: datetime | None = None,
    end: datetime | None = None,
    database: str = "neo4j",
    timeout: float | None = None,
) -> Leads:
    """The likely co-offenders of person or incident ``node_id``
    (:func:`~graphvc.predict.co_offenders.likely_co_offenders` on
    :func:`neighbourhood_network`). An id that is neither raises :class:`QueryError`."""
    seeds = seeds_of(driver, node_id, database=database, timeout=timeout)
    if not seeds:
        raise QueryError(
            f"{node_id!r} is neither a person nor an incident with a known offender or suspect"
        )
    options: dict[str, Any] = {"database": database, "timeout": timeout}
    G, truncated = neighbourhood_network(driver, seeds, hops=hops, start=start, end=end, **options)
    leads = likely_co_offenders(G, seeds, k=k)
    return Leads(seeds, leads, G.number_of_nodes(), truncated)
