"""A synthetic London loaded into the real Neo4j: counts derived from the files themselves."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import neo4j
import pytest

from graphvc.schema import apply_schema, graph_counts, wipe
from graphvc.synth import generate, synthetic_city, write
from loaders.folder import load_folder


def _expected_counts(folder: Path) -> dict[str, int]:
    """What the graph must hold, counted from the CSVs with the csv module alone."""

    def rows(name: str) -> list[dict[str, str]]:
        with (folder / f"{name}.csv").open(encoding="utf-8") as handle:
            return list(csv.DictReader(handle))

    persons, incidents, places = rows("persons"), rows("incidents"), rows("locations")
    involvements, associations = rows("involvements"), rows("associations")
    people = {p["person_id"] for p in persons}
    people |= {a["person_a"] for a in associations} | {a["person_b"] for a in associations}
    roles = Counter(i["role"] for i in involvements)
    links = {
        (min(a["person_a"], a["person_b"]), max(a["person_a"], a["person_b"]), a["type"])
        for a in associations
    }
    return {
        "Person": len(people),
        "Incident": len(incidents),
        "Location": len(places),
        "Ward": len({p["ward_code"] for p in places if p["ward_code"]}),
        "Borough": len({p["borough_code"] for p in places if p["borough_code"]}),
        "AnalysisRun": 0,  # loading analyses nothing
        "OFFENDER_IN": roles["offender"],
        "SUSPECT_IN": roles["suspect"],
        "VICTIM_IN": roles["victim"],
        "WITNESS_IN": roles["witness"],
        "OCCURRED_AT": sum(1 for i in incidents if i["location_id"]),
        "IN_WARD": sum(1 for p in places if p["ward_code"]),
        "IN_BOROUGH": len({(p["ward_code"], p["borough_code"]) for p in places if p["ward_code"]}),
        "ASSOCIATE_OF": len(links),
        "ASSESSED": len(rows("risk_assessments")),
    }


@pytest.fixture(scope="module")
def synthetic_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("synth")
    write(generate(2000, seed=11, geography=synthetic_city(11)), folder)
    return folder


def test_synthetic_folder_loads_exactly_and_reloads_unchanged(
    empty_graph: neo4j.Driver, synthetic_folder: Path
) -> None:
    wipe(empty_graph)
    apply_schema(empty_graph)
    first = load_folder(empty_graph, synthetic_folder)
    assert first.total_rejected == 0
    expected = _expected_counts(synthetic_folder)
    assert graph_counts(empty_graph) == expected
    second = load_folder(empty_graph, synthetic_folder)
    assert second.counters.get("nodes_created", 0) == 0
    assert second.counters.get("relationships_created", 0) == 0
    assert graph_counts(empty_graph) == expected
