"""The contract is the one source: the validator's schema, the writers' property lists, the
read-back order and the documentation derive from its declarations, and every Cypher file
that writes or reads a table agrees with them."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from graphvc.analysis.projections import PERSON_ATTRIBUTES
from graphvc.analysis.proportionality import ATTRIBUTE_VALUES
from graphvc.cli import cli
from graphvc.contract import (
    DEMOGRAPHICS,
    IDENTIFYING,
    TABLES,
    UK_BOUNDS,
    Column,
    column,
    read_columns,
)
from graphvc.contract_docs import contract_markdown
from graphvc.graph_tables import _REFERENCES, _frame
from graphvc.harm_index import load_harm_table
from graphvc.model import ROLE_RELATIONSHIPS
from loaders.tables import ROW
from loaders.validate import _schema, validate_table
from loaders.write import NodeWrite, Property, RelationshipWrite, steps

ROOT = Path(__file__).resolve().parents[2]
LOAD = ROOT / "cypher" / "load"
ANALYSIS = ROOT / "cypher" / "analysis"
HARM = load_harm_table()

#: The table each load statement writes rows of.
LOAD_TABLES = {
    "persons": "persons",
    "locations": "locations",
    "wards": "locations",
    "boroughs": "locations",
    "location_wards": "locations",
    "ward_boroughs": "locations",
    "incidents": "incidents",
    "incident_locations": "incidents",
    "involvements": "involvements",
    "risk_assessments": "risk_assessments",
    "associations": "associations",
}
#: Load statements that write no table (they ask the graph what it holds).
LOAD_QUERIES = {"any_node", "existing_ids"}
#: The properties written that no column declares: a location's point is made of two.
DERIVED = {("Location", "point"): "latitude"}


# --- The declarations -----------------------------------------------------------------------


def test_every_column_is_labelled_and_formatted() -> None:
    for spec in TABLES.values():
        assert spec.label and spec.description
        for declared in spec.declared:
            assert declared.label[0].isupper(), declared.name
            assert declared.description, declared.name
            # A date of birth (issue 36) is a calendar date, shown as one.
            assert declared.format in ("text", "integer", "decimal", "datetime", "date", "boolean")
            if declared.type == "number":
                assert declared.format == "decimal" and declared.decimals > 0


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"type": "timestamp"}, "type 'timestamp' is not one of"),
        ({"type": "category"}, "a category, and only a category, has allowed values"),
        ({"allowed": ("a",)}, "a category, and only a category, has allowed values"),
        ({"label": ""}, "no label"),
        ({"format": "money"}, "format 'money' is not one of"),
    ],
)
def test_a_bad_declaration_fails_at_once(arguments: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Column("x", **{"label": "X", **arguments})


@pytest.mark.parametrize(
    ("table", "name", "value", "shown"),
    [
        ("incidents", "harm", 1234.56, "1,234.6"),
        ("incidents", "occurred_at", "2024-03-01T22:15:00", "2024-03-01 22:15"),
        ("incidents", "hate", False, "no"),
        ("locations", "latitude", 51.5, "51.50000"),
        ("persons", "ethnicity", "NS", "NS"),
        ("associations", "weight", float("nan"), ""),
    ],
)
def test_display(table: str, name: str, value: object, shown: str) -> None:
    assert column(table, name).display(value) == shown


def test_column_lookup_names_the_table_and_column() -> None:
    assert column("locations", "latitude").heading == "Latitude (degrees)"
    assert (column("locations", "latitude").minimum, column("locations", "latitude").maximum) == (
        UK_BOUNDS[0],
        UK_BOUNDS[1],
    )
    with pytest.raises(KeyError, match="persons has no column 'harm'"):
        column("persons", "harm")


def test_the_demographic_columns_come_from_the_contract() -> None:
    assert DEMOGRAPHICS == ("age_band", "sex", "ethnicity")
    assert PERSON_ATTRIBUTES == DEMOGRAPHICS
    assert {name: column("persons", name).allowed for name in DEMOGRAPHICS} == ATTRIBUTE_VALUES
    assert set(DEMOGRAPHICS) == set(read_columns("persons")) - {"person_id"}


def test_no_module_spells_a_demographic_value_list_again() -> None:
    spelled = re.compile(r'"18-24",\s*"25-34"|"W1",\s*"W2",\s*"W3"|"F",\s*"M",\s*"X"')
    sources = [*(ROOT / "graphvc").rglob("*.py"), *(ROOT / "loaders").rglob("*.py")]
    again = [p.relative_to(ROOT) for p in sources if spelled.search(p.read_text(encoding="utf-8"))]
    assert [str(p) for p in again] == ["graphvc/contract.py"]


# --- The validator's schema -----------------------------------------------------------------


def _errors(check_list) -> list[str]:
    return [check.error for check in check_list]


@pytest.mark.parametrize("table", list(TABLES))
def test_the_schema_is_the_declarations(table: str) -> None:
    known = {"persons": {"P1"}, "incidents": {"I1"}, "locations": {"L1"}}
    schema = _schema(table, HARM, known)
    spec = TABLES[table]
    assert list(schema.columns) == list(spec.columns)
    for declared in spec.declared:
        checks = schema.columns[declared.name]
        errors = _errors(checks.checks)
        assert checks.nullable is not declared.required, declared.name
        assert errors[:2] == [
            "longer than 1,000 characters",
            "holds a control character (such as a NUL byte)",
        ]
        expected = {
            "category": [
                f"not a valid {declared.value_noun} (allowed: {', '.join(declared.allowed)})"
            ],
            "offence": [f"not a valid offence code (allowed: {', '.join(HARM.offences)})"],
            "datetime": [
                "not an ISO 8601 date-time such as 2024-03-01T22:15:00",
                "in the future (after tomorrow)",
                f"before {declared.earliest} (too early for a record)",
            ],
            "date": [
                "not an ISO 8601 date such as 1990-04-17",
                "in the future (after tomorrow)",
                f"before {declared.earliest} (too early for a record)",
            ],
            "boolean": ["not a boolean (true/false)"],
        }.get(declared.type, [])
        if declared.type == "number":
            expected = ["not a number", "not a finite number"]
        if spec.key == (declared.name,):
            expected = [f"duplicate {declared.name}: an earlier row has it", *expected]
        if declared.references and not declared.creates_missing:
            expected = [
                f"unknown {declared.name}: not in this folder nor in the graph",
                *expected,
            ]
        assert errors[2 : 2 + len(expected)] == expected, declared.name


def _blank_row(table: str) -> pd.DataFrame:
    """One row of ``table`` with every required cell valid and every optional one empty."""
    valid = {
        "text": "X1",
        "offence": "homicide",
        "datetime": "2024-03-01T22:15:00",
    }
    row = {}
    for declared in TABLES[table].declared:
        if not declared.required:
            row[declared.name] = pd.NA
        elif declared.references:
            row[declared.name] = {"persons": "P1", "incidents": "I1"}[declared.references]
        elif declared.type == "category":
            row[declared.name] = declared.allowed[0]
        else:
            row[declared.name] = valid[declared.type]
    if table == "associations":
        row["person_b"] = "P2"
    return pd.DataFrame([row], dtype="string").assign(**{ROW: "2"})


@pytest.mark.parametrize("table", list(TABLES))
def test_missing_values_take_the_declared_defaults(table: str) -> None:
    known = {"persons": {"P1"}, "incidents": {"I1"}, "locations": set()}
    checked = validate_table(table, _blank_row(table), file="f.csv", harm=HARM, known=known)
    assert checked.rejects.empty, checked.rejects
    (typed,) = checked.rows.to_dict("records")
    homicide = HARM.defaults_for(pd.Series(["homicide"])).iloc[0]
    for declared in TABLES[table].declared:
        if declared.default_from:
            assert typed[declared.name] == homicide[declared.default_from], declared.name
        elif declared.default is not None:
            assert typed[declared.name] == declared.default, declared.name


# --- The writers' property lists and cypher/load ---------------------------------------------


def _declared(table: str, label: str | None) -> set[tuple[str, str, str]]:
    """(property, column, type) the contract gives the node of ``label`` (None: the table's
    own node or relationship) that rows of ``table`` are written as."""
    spec = TABLES[table]
    node = None if label in (None, spec.node) else label
    found = {
        (c.graph_property, c.name, c.graph_type)
        for c in spec.declared
        if c.graph_property and c.graph_node == node
    }
    for (derived_label, name), source in DERIVED.items():
        if derived_label == (label or spec.node):
            found.add((name, source, "point"))
    return {(str(p), c, t) for p, c, t in found}


def _written(writes: NodeWrite | RelationshipWrite) -> set[tuple[str, str, str]]:
    properties: tuple[Property, ...] = writes.properties
    if isinstance(writes, NodeWrite):
        properties = (writes.key, *properties)
    return {(p.name, p.column, p.type) for p in properties}


def _all_steps():
    tables = {name: pd.DataFrame(columns=list(spec.columns)) for name, spec in TABLES.items()}
    tables["involvements"] = pd.DataFrame(
        {"person_id": ["p"] * 4, "incident_id": ["i"] * 4, "role": list(ROLE_RELATIONSHIPS)}
    )
    return steps(tables)


@pytest.mark.parametrize("step", _all_steps(), ids=lambda step: step.label)
def test_the_write_property_lists_are_the_declarations(step) -> None:
    file = next(f.stem for f in LOAD.glob("*.cypher") if _body(f) in step.query)
    table = LOAD_TABLES[file]
    assert set(step.columns) <= set(TABLES[table].columns), file
    if isinstance(step.writes, NodeWrite):
        assert _written(step.writes) == _declared(table, step.writes.label)
    elif step.writes.properties:
        assert _written(step.writes) == _declared(table, None)


def _body(path: Path) -> str:
    """A statement without its header comments (and its allow-listed placeholders' text)."""
    lines = [line for line in path.read_text().splitlines() if not line.startswith("//")]
    return "\n".join(lines).split("{{")[0]


def _variables(body: str) -> dict[str, str]:
    """Each variable of a statement's patterns -> its label or relationship type ('[' first
    for a relationship)."""
    found = {v: label for v, label in re.findall(r"\((\w+):`?(\w+)", body)}
    found |= {v: "[" + kind for v, kind in re.findall(r"\[(\w+):`?(\w+|\{\{\w+\}\})", body)}
    return found


def _sets(body: str) -> list[tuple[str, str, str]]:
    """(variable, property, value) of each item of a statement's SET clause."""
    return re.findall(r"(\w+)\.(\w+) = (.+?)(?=,\s*\n\s*\w+\.\w+ =|\Z)", body, re.S)


def _load_properties(body: str) -> set[tuple[str, str, str, str]]:
    """(label, property, column, kind) of each property a load statement sets or MERGEs on."""
    variables = _variables(body)
    found = set()
    for v, pattern in re.findall(r"[\(\[](\w+):`?\w+`?\s*\{([^}]*)\}", body):
        for name, value in re.findall(r"(\w+):\s*([^,]+)", pattern):
            found.add((variables[v], name, _row_column(value), _kind(value)))
    for v, name, value in _sets(body):
        found.add((variables[v], name, _row_column(value), _kind(value)))
    return found


def _row_column(value: str) -> str:
    return re.findall(r"row\.(\w+)", value)[0]


def _kind(value: str) -> str:
    return "datetime" if "datetime(" in value else "point" if "point(" in value else "plain"


def _key_property(table: str) -> str:
    return str(TABLES[table].column(TABLES[table].key[0]).graph_property)


def test_every_load_file_is_checked() -> None:
    assert {f.stem for f in LOAD.glob("*.cypher")} == set(LOAD_TABLES) | LOAD_QUERIES


@pytest.mark.parametrize("file", sorted(LOAD_TABLES))
def test_a_load_file_writes_the_declared_properties(file: str) -> None:
    path = LOAD / f"{file}.cypher"
    table = TABLES[LOAD_TABLES[file]]
    body = _body(path)
    header = re.search(r"// params: rows list of \{([^}]*)\}", path.read_text())
    assert header is not None
    used = sorted(set(re.findall(r"row\.(\w+)", body)))
    assert sorted(c.strip() for c in header.group(1).split(",")) == used
    written = _load_properties(body)
    own: dict[str, set[tuple[str, str, str]]] = {}
    for label, name, source, kind in written:
        declared = table.column(source)
        if declared.references:
            # An end of the row's relationship: the node of the table it names, by its key.
            assert label == TABLES[declared.references].node, (file, source)
            assert name == _key_property(declared.references), (file, source)
            continue
        if (label, name) in DERIVED:
            assert source == DERIVED[label, name] and kind == "point"
            own.setdefault(label, set()).add((name, source, "point"))
            continue
        assert name == declared.graph_property, (file, source)
        expected = declared.graph_node or table.node
        assert label == expected if expected else label.startswith("["), (file, source)
        assert (kind == "datetime") == (declared.type == "datetime"), (file, source)
        own.setdefault(label, set()).add((name, source, declared.graph_type))
    # A statement that writes a node or relationship sets every property declared for it.
    for label, properties in own.items():
        node = None if label.startswith("[") else label
        if any(name != _key_property_of(table.name, node) for name, _, _ in properties):
            assert properties == _declared(table.name, node), (file, label)


@pytest.mark.parametrize("file", sorted(LOAD_TABLES))
def test_a_column_absent_from_a_file_leaves_the_graphs_value_alone(file: str) -> None:
    """A statement SETs a property of an optional column only as ``$keep`` allows (the graph's
    value kept where the file lacks the column), or so that no empty cell removes it; only a
    required column, which every file has, is SET plainly."""
    table = TABLES[LOAD_TABLES[file]]
    variables = _variables(_body(LOAD / f"{file}.cypher"))
    for v, name, value in _sets(_body(LOAD / f"{file}.cypher")):
        source, value = _row_column(value), " ".join(value.split())
        if table.column(source).required:
            assert value in (f"row.{source}", f"datetime(row.{source})"), (file, name)
            continue
        kept = f"CASE WHEN $keep.{source} THEN coalesce({v}.{name}, row.{source}) ELSE row.{source} END"
        never_emptied = f"coalesce(row.{source}, {v}.{name})"
        if (variables[v], name) in DERIVED:
            # Made of two columns: kept when either is absent.
            columns = sorted({source, *re.findall(r"row\.(\w+)", value)})
            keep = " OR ".join(f"$keep.{column}" for column in columns)
            assert value.startswith(f"CASE WHEN {keep} THEN {v}.{name} WHEN "), (file, name)
        else:
            assert value in (kept, never_emptied), (file, name, value)


def _key_property_of(table: str, label: str | None) -> str:
    spec = TABLES[table]
    if label in (None, spec.node):
        return _key_property(table)
    return next(str(c.graph_property) for c in spec.declared if c.graph_node == label)


# --- The read order and cypher/analysis -------------------------------------------------------


def _elements(listed: str) -> list[str]:
    """The top-level items of a Cypher list's text."""
    items, depth, current = [], 0, ""
    for char in listed:
        depth += char in "([{"
        depth -= char in ")]}"
        if char == "," and depth == 0:
            items.append(current.strip())
            current = ""
        else:
            current += char
    return [*items, current.strip()]


def _read_row(body: str) -> list[str]:
    match = re.search(r"collect\(\[(.*?)\]\) AS rows", body, re.S) or re.search(
        r"\[(id\(\w+\).*?|\w+\.id.*?)\] AS row\b", body, re.S
    )
    assert match is not None
    return _elements(match.group(1))


@pytest.mark.parametrize("table", list(TABLES))
def test_a_read_returns_the_read_columns_in_order(table: str) -> None:
    spec = TABLES[table]
    body = _body(ANALYSIS / f"{table}.cypher")
    columns = read_columns(table)
    assert list(_frame(table, []).columns) == (["_node", *columns] if spec.node else columns)
    returned = body.strip().rsplit("RETURN ", 1)[1]
    if not returned.endswith("rows"):
        # One list per column, named as the columns.
        assert [c.strip() for c in returned.split(",")] == columns
        return
    variables = _variables(body)
    variables |= {
        alias: variables[v] for v, alias in re.findall(r"properties\((\w+)\) AS (\w+)", body)
    }
    row = _read_row(body)
    if spec.node:
        node_id = row.pop(0)
        assert variables[re.fullmatch(r"id\((\w+)\)", node_id).group(1)] == spec.node
    assert len(row) == len(columns)
    for read, name in zip(row, columns, strict=True):
        declared = spec.column(name)
        by_id = re.fullmatch(r"id\((\w+)\)", read)
        if by_id:
            assert _REFERENCES[table][name] == declared.references, (table, name)
            assert variables[by_id.group(1)] == TABLES[str(declared.references)].node
            continue
        v, prop, rest = re.fullmatch(r"(\w+)\.(\w+)(\.epochMillis)?", read).groups()
        if declared.references:
            assert variables[v] == TABLES[declared.references].node, (table, name)
            assert prop == _key_property(declared.references), (table, name)
            continue
        assert prop == declared.graph_property, (table, name)
        expected = declared.graph_node or spec.node
        assert variables[v] == expected if expected else variables[v].startswith("[")
        assert (rest is not None) == (declared.type == "datetime"), (table, name)


def test_the_roles_are_read_as_codes_in_the_contracts_order() -> None:
    body = _body(ANALYSIS / "involvements.cypher")
    roles = column("involvements", "role").allowed
    codes = dict(re.findall(r"WHEN '(\w+)' THEN (\d)", body))
    *named, last = roles
    assert codes == {ROLE_RELATIONSHIPS[role]: str(i) for i, role in enumerate(named)}
    assert re.search(rf"ELSE {len(named)} END", body)
    assert set(re.findall(r"\w+_IN", body.split("CASE")[0])) == set(ROLE_RELATIONSHIPS.values())
    assert ROLE_RELATIONSHIPS[last] not in codes


def test_no_identifying_column_is_read_back() -> None:
    assert {
        ("persons", "name"),
        ("persons", "date_of_birth"),
        ("persons", "postcode"),
        ("persons", "pnc_id"),
    } == IDENTIFYING
    for path in ANALYSIS.glob("*.cypher"):
        body = _body(path)
        variables = _variables(body)
        for table, name in IDENTIFYING:
            label, prop = TABLES[table].node, column(table, name).graph_property
            for v in (v for v, kind in variables.items() if kind == label):
                assert not re.search(rf"\b{v}\.{prop}\b", body), path.name
                assert f"properties({v})" not in body, path.name


# --- The documentation ---------------------------------------------------------------------


def test_the_committed_page_is_current() -> None:
    committed = (ROOT / "docs" / "input-contract.md").read_text(encoding="utf-8")
    assert committed == contract_markdown(), (
        "docs/input-contract.md is stale: run "
        "`graphvc contract docs --output docs/input-contract.md`"
    )


def test_the_page_says_what_each_column_holds() -> None:
    page = contract_markdown()
    for spec in TABLES.values():
        assert f"\n## {spec.name}\n" in page
        for declared in spec.declared:
            assert f"| `{declared.name}` | {declared.heading} |" in page
            for value in declared.allowed:
                assert f"`{value}`" in page
    assert "| `harm` | Harm (days) | number ≥ 0, in days | no (the offence's `harm_days`) |" in page
    assert "| `latitude` | Latitude (degrees) | number from 49.8 to 60.9, in degrees | no |" in page
    assert "| `weight` | Weight | number > 0 | no (`1`) |" in page
    assert "| `weapon` | Weapon | boolean | no (`false`) |" in page
    assert "| `incident_id` | Incident | string | yes, unique |" in page


def test_contract_docs_prints_or_writes_the_page(tmp_path: Path) -> None:
    runner = CliRunner()
    printed = runner.invoke(cli, ["contract", "docs"])
    assert printed.exit_code == 0, printed.output
    assert printed.output == contract_markdown()
    target = tmp_path / "contract.md"
    written = runner.invoke(cli, ["contract", "docs", "--output", str(target)])
    assert written.exit_code == 0, written.output
    assert written.output == f"wrote {target}\n"
    assert target.read_text(encoding="utf-8") == contract_markdown()
