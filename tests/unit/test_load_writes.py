"""Each load step's declaration of what it writes (used by the bulk importer) matches its
Cypher statement: the same label or type, key, properties, columns and types."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from graphvc.contract import TABLES
from graphvc.errors import BulkLoadError
from loaders.bulk import import_files
from loaders.write import NodeWrite, RelationshipWrite, Step, steps


def _all_steps() -> list[Step]:
    tables = {name: pd.DataFrame(columns=list(spec.columns)) for name, spec in TABLES.items()}
    tables["involvements"] = pd.DataFrame(
        {
            "person_id": ["p"] * 4,
            "incident_id": ["i"] * 4,
            "role": ["offender", "suspect", "victim", "witness"],
        }
    )
    return steps(tables)


STEPS = _all_steps()


def _written(query: str) -> tuple[str, dict[str, tuple[str, str]]]:
    """The label or type a statement MERGEs last, and property -> (column, type) it writes."""
    merges = re.findall(r"MERGE \(?\w*\)?-?\[?\(?\w*:`?(\w+)`?\s*(\{[^}]*\})?", query)
    label, key = merges[-1]
    written: dict[str, tuple[str, str]] = {}
    for name, value in re.findall(r"(\w+):\s*([^,}]+)", key):
        written[name] = _column_and_type(value)
    sets = re.findall(r"\w+\.(\w+) = (.+?)(?=,\s*\n\s*\w+\.\w+ =|\Z)", query, re.DOTALL)
    for name, value in sets:
        written[name] = _column_and_type(value)
    return label, written


def _column_and_type(value: str) -> tuple[str, str]:
    column = re.findall(r"row\.(\w+)", value)[0]
    if "datetime(" in value:
        return column, "datetime"
    if "point(" in value:
        return column, "point"
    return column, "other"


@pytest.mark.parametrize("step", STEPS, ids=[step.label for step in STEPS])
def test_declared_writes_match_the_statement(step: Step) -> None:
    label, written = _written(step.query)
    writes = step.writes
    declared = {
        prop.name: (prop.column, prop.type if prop.type in ("datetime", "point") else "other")
        for prop in writes.properties
    }
    if isinstance(writes, NodeWrite):
        assert label == writes.label
        declared[writes.key.name] = (writes.key.column, "other")
    else:
        assert isinstance(writes, RelationshipWrite)
        assert label == writes.type
        assert f"row.{writes.start[1]}" in step.query and f"row.{writes.end[1]}" in step.query
    assert written == declared
    assert {column for column, _ in declared.values()} <= set(step.columns)


def test_import_files_write_typed_headers_and_bare_people(tmp_path) -> None:
    tables = {
        "persons": pd.DataFrame(
            {
                "person_id": ["P1"],
                "name": ['Ann "Nan", Smith'],
                "date_of_birth": ["1990-04-17"],
                "postcode": [None],
                "pnc_id": [None],
                "age_band": ["18-24"],
                "sex": ["F"],
                "ethnicity": ["NS"],
            }
        ),
        "locations": pd.DataFrame(
            {
                "location_id": ["L1", "L2"],
                "name": ["a", None],
                "lsoa_code": [None, None],
                "ward_code": ["W1", None],
                "ward_name": ["Ward", None],
                "borough_code": ["B1", None],
                "borough_name": ["Borough", None],
                "latitude": [51.5, None],
                "longitude": [-0.125, None],
            }
        ),
        "associations": pd.DataFrame(
            {
                "person_a": ["P1"],
                "person_b": ["P2"],
                "type": ["gang"],
                "weight": [2.0],
                "source": [None],
            }
        ),
    }
    files = import_files(tables, tmp_path)
    texts = {path.name: path.read_text() for path in [*files.nodes, *files.relationships]}
    # Nodes are numbered in the order written (the importer's own ids); relationships name
    # their ends by number. A file is quoted when some text needs it (the point's commas, Ann's
    # quote), else bare.
    assert texts["00-borough.csv"].splitlines() == [":ID,code,name,:LABEL", "0,B1,Borough,Borough"]
    assert texts["02-location.csv"].splitlines() == [
        ":ID,id,name,lsoa,latitude:double,longitude:double,point:point{crs:WGS-84},:LABEL",
        '2,"L1","a",,51.5,-0.125,"{latitude:51.5,longitude:-0.125}","Location"',
        '3,"L2",,,,,,"Location"',
    ]
    assert (
        texts["05-person.csv"].splitlines()[1]
        == '4,"P1","Ann ""Nan"", Smith","1990-04-17",,,"18-24","F","NS","Person"'
    )
    assert texts["bare-person.csv"].splitlines() == [":ID,id,:LABEL", "5,P2,Person"]
    assert texts["03-in_borough.csv"].splitlines() == [":START_ID,:END_ID,:TYPE", "1,0,IN_BOROUGH"]
    assert texts["06-associate_of.csv"].splitlines() == [
        ":START_ID,:END_ID,:TYPE,type,weight:double,source",
        "4,5,ASSOCIATE_OF,gang,2,",
    ]
    # Borough, ward, 2 locations, P1, bare P2; ward→borough, location→ward, association.
    assert files.counters["nodes_created"] == 6
    assert files.counters["relationships_created"] == 3
    # As the online loader counts them: each node's key and each value that is not missing.
    # P1: id, name, date of birth, age band, sex, ethnicity (issue 36 added its date of birth).
    assert files.counters["properties_set"] == 2 + 2 + 5 + 1 + 6 + 1 + 2
    assert not files.multiline
    tables["persons"].loc[0, "name"] = "two\nlines"
    assert import_files(tables, tmp_path).multiline


def test_import_files_refuse_a_relationship_to_a_node_not_written(tmp_path) -> None:
    tables = {
        "persons": pd.DataFrame(
            {
                "person_id": ["P1"],
                "name": ["Ann"],
                **{field: [None] for field in ("date_of_birth", "postcode", "pnc_id")},
                "age_band": ["18-24"],
                "sex": ["F"],
                "ethnicity": ["NS"],
            }
        ),
        "involvements": pd.DataFrame(
            {"person_id": ["P1", "P9"], "incident_id": ["I1", "I1"], "role": ["victim"] * 2}
        ),
    }
    with pytest.raises(BulkLoadError, match="a relationship names the Person 'P9', never loaded"):
        import_files(tables, tmp_path)
