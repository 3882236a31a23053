"""graphvc works unchanged over `neo4j://` (cluster routing): reads go to read transactions,
which a cluster routes to a secondary and in which the server refuses any write; writes go to
the leader. Tested against the suite's single server, which answers routing requests too."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import neo4j
import pandas as pd
import pytest

from graphvc.config import Settings
from graphvc.db import connect, run_query
from graphvc.errors import QueryError
from graphvc.graph_tables import read_graph_tables
from graphvc.queries import run_stored_query
from graphvc.runs import AnalysisParameters, analyse
from graphvc.scores import write_scores
from loaders.folder import load_folder

SMALL = Path(__file__).resolve().parents[1] / "fixtures" / "small"


def test_the_loader_analysis_write_back_and_library_run_over_neo4j_routing(
    empty_graph: neo4j.Driver, test_settings: Settings
) -> None:
    routed = replace(test_settings, neo4j_uri="neo4j://" + test_settings.uri.split("://", 1)[1])
    with connect(routed) as driver:
        summary = load_folder(driver, SMALL)  # writes, routed to the leader
        tables = read_graph_tables(driver)  # reads, routed to a reader
        persons = pd.read_csv(SMALL / "persons.csv")
        assert set(tables["persons"]["person_id"]) >= set(persons["person_id"])
        assert len(tables["incidents"]) == summary.rows_valid["incidents"]
        result = analyse(tables, AnalysisParameters(as_of=pd.Timestamp("2025-01-03")))
        scored = write_scores(driver, result, run_at=datetime(2025, 1, 3, tzinfo=UTC))
        assert scored["Person"] > 0
        stamped = run_query(
            driver, "MATCH (p:Person) WHERE p.scored_at IS NOT NULL RETURN count(p) AS n"
        )
        assert int(stamped["n"].iloc[0]) == scored["Person"]
        co_offenders = run_stored_query(driver, "co_offenders", {"person_id": "P1"}, timeout=10)
        assert "P2" in set(co_offenders["co_offender_id"])
        # A read transaction refuses a write, with or without a timeout.
        for timeout in (None, 10.0):
            with pytest.raises(QueryError, match="read-only"):
                run_query(driver, "CREATE (:Person {id: 'intruder'})", timeout=timeout)
    assert run_query(empty_graph, "MATCH (p:Person {id: 'intruder'}) RETURN p").empty
