"""The real Neo4j: version, round trips, schema, read-only sessions."""

from __future__ import annotations

import neo4j
import pytest

from graphvc.db import run_query, run_write, server_version
from graphvc.errors import DatabaseError, QueryError
from graphvc.schema import apply_schema, graph_counts


def test_server_is_neo4j_5_26_community(neo4j_driver: neo4j.Driver) -> None:
    version = server_version(neo4j_driver)
    assert version["name"] == "Neo4j Kernel"
    assert version["version"].startswith("5.26.")
    assert version["edition"] == "community"


def test_write_then_read_back(empty_graph: neo4j.Driver) -> None:
    rows = [{"id": f"P{i}", "age_band": band} for i, band in enumerate(["18-24", "25-34", "18-24"])]
    counters = run_write(
        empty_graph,
        "UNWIND $rows AS row MERGE (p:Person {id: row.id}) SET p.age_band = row.age_band",
        rows,
        batch_size=2,
    )
    assert counters["nodes_created"] == 3
    back = run_query(
        empty_graph,
        "MATCH (p:Person) WHERE p.age_band = $band RETURN p.id AS id ORDER BY id",
        {"band": "18-24"},
    )
    assert back["id"].tolist() == ["P0", "P2"]
    assert graph_counts(empty_graph)["Person"] == 3


def test_schema_is_idempotent(empty_graph: neo4j.Driver) -> None:
    apply_schema(empty_graph)
    apply_schema(empty_graph)
    constraints = run_query(empty_graph, "SHOW CONSTRAINTS YIELD name RETURN name ORDER BY name")
    assert constraints["name"].tolist() == [
        "alert_id",
        "analysis_run_id",
        "borough_code",
        "incident_id",
        "location_id",
        "person_id",
        "ward_code",
        "watch_owner_name",
    ]
    indexes = set(run_query(empty_graph, "SHOW INDEXES YIELD name RETURN name")["name"])
    assert {
        "incident_occurred_at",
        "incident_category",
        "location_lsoa",
        "location_point",
    } <= indexes


def test_unique_constraint_holds(empty_graph: neo4j.Driver) -> None:
    run_write(empty_graph, "UNWIND $rows AS row CREATE (:Incident {id: row.id})", [{"id": "I-dup"}])
    with pytest.raises(DatabaseError, match="already exists"):
        run_write(
            empty_graph, "UNWIND $rows AS row CREATE (:Incident {id: row.id})", [{"id": "I-dup"}]
        )


def test_read_session_refuses_to_write(empty_graph: neo4j.Driver) -> None:
    before = graph_counts(empty_graph)
    with pytest.raises(QueryError, match="read-only"):
        run_query(empty_graph, "CREATE (:Person {id: $id})", {"id": "intruder"})
    assert graph_counts(empty_graph) == before
