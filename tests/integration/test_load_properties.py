"""Property-based test of the loader against the real Neo4j (Hypothesis): any folder the
strategies make either loads exactly its valid rows or is refused whole in one line, and
loading it twice changes nothing."""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

import neo4j
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphvc.errors import InputError
from graphvc.harm_index import load_harm_table
from graphvc.schema import apply_schema, graph_counts, wipe
from loaders.folder import load_folder, validate_folder

HARM = load_harm_table()
OFFENCES = list(HARM.offences[:5])

person_ids = st.sampled_from([f"P{i}" for i in range(6)])
incident_ids = st.sampled_from([f"I{i}" for i in range(6)])
persons = st.lists(
    st.tuples(person_ids, st.sampled_from(["18-24", "65+", "unknown", "=1+1", ""])),
    max_size=6,
)
incidents = st.lists(
    st.tuples(
        incident_ids,
        st.sampled_from(
            ["2024-03-01T10:00:00", "2024-07-01T10:00:00+01:00", "2024-01-01Z", "x", "2099-01-01"]
        ),
        st.sampled_from([*OFFENCES, "not_an_offence"]),
        st.sampled_from(["", "10", "-5", "inf", "abc"]),
    ),
    max_size=6,
)
involvements = st.lists(
    st.tuples(person_ids, incident_ids, st.sampled_from(["offender", "victim", "boss"])),
    max_size=8,
)


def _write(folder: Path, tables: dict[str, list[tuple[str, ...]]], header_ok: bool) -> None:
    headers = {
        "persons": ["person_id", "age_band"],
        "incidents": ["incident_id", "occurred_at", "offence", "harm"],
        "involvements": ["person_id", "incident_id", "role"],
    }
    if not header_ok:
        headers["persons"] = ["person_id", "shoe_size"]
    for name, rows in tables.items():
        pd.DataFrame(rows, columns=headers[name]).to_csv(folder / f"{name}.csv", index=False)


def _snapshot(driver: neo4j.Driver) -> str:
    nodes, _, _ = driver.execute_query("MATCH (n) RETURN properties(n) AS p")
    links, _, _ = driver.execute_query("MATCH (a)-[r]->(b) RETURN a.id + type(r) + b.id AS r")
    text = sorted(json.dumps(r["p"], sort_keys=True, default=str) for r in nodes)
    text += sorted(str(r["r"]) for r in links)
    return hashlib.sha256("\n".join(text).encode()).hexdigest()


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(persons=persons, incidents=incidents, involvements=involvements, header_ok=st.booleans())
def test_a_folder_loads_exactly_its_valid_rows_or_is_refused_whole_and_reloads_unchanged(
    empty_graph: neo4j.Driver,
    persons: list[tuple[str, ...]],
    incidents: list[tuple[str, ...]],
    involvements: list[tuple[str, ...]],
    header_ok: bool,
) -> None:
    wipe(empty_graph)
    apply_schema(empty_graph)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        tables = {"persons": persons, "incidents": incidents, "involvements": involvements}
        _write(folder, tables, header_ok)
        try:
            expected, _ = validate_folder(folder, harm=HARM)
        except InputError as e:
            assert not header_ok and "\n" not in str(e)
            try:
                load_folder(empty_graph, folder)
            except InputError as again:
                assert str(again) == str(e)
            assert sum(graph_counts(empty_graph).values()) == 0  # refused whole
            return
        load_folder(empty_graph, folder)
        counts = graph_counts(empty_graph)
        roles = expected["involvements"]["role"].value_counts()
        assert counts["Person"] == len(expected["persons"])
        assert counts["Incident"] == len(expected["incidents"])
        assert counts["OFFENDER_IN"] == roles.get("offender", 0)
        assert counts["VICTIM_IN"] == roles.get("victim", 0)
        once = _snapshot(empty_graph)
        load_folder(empty_graph, folder)
        assert _snapshot(empty_graph) == once
