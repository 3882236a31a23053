"""The Cypher library's files and the runner's checks, without a database."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graphvc.contract import CATEGORIES
from graphvc.db import cypher_dir
from graphvc.errors import QueryError
from graphvc.queries import (
    TEAMS,
    check_parameters,
    list_queries,
    load_query,
    parse_query,
)
from graphvc.queries.runner import _refusals

LIBRARY = sorted(p for p in cypher_dir().glob("*.cypher") if p.stem != "schema")

HEADER = """\
// title: Person lookup
// description: One person's age band and the incidents they offended in, in a window
//   that is given by two date-times.
// team: robbery
// param person_id: string, required, example "P1" -- the person's id
// param hops: integer, default 2, example 2, min 1, max 3 -- steps out
// param share: float, default 0.5, min 0, max 1 -- a share
// param exact: boolean, default false -- match exactly
// param start: datetime, default null, example "2024-01-01T00:00:00" -- window start
// param day: date, default null -- a day
// param level: string, default "ward", one of location|ward|borough -- which places
// param categories: list<string>, default null, example ["gun_enabled"] -- categories
// column age_band: the age band
// mode: read
"""
BODY = """\
MATCH (p:Person {id: $person_id})
WHERE $hops > 0 AND $share >= 0 AND $exact IS NOT NULL AND ($start IS NULL OR $day IS NULL)
  AND $level <> '$not_a_parameter' AND ($categories IS NULL OR size($categories) > 0)
RETURN p.age_band AS age_band // $nor_is_this
"""


@pytest.fixture(scope="module")
def sample():
    return parse_query(HEADER + BODY, name="sample")


def test_header_is_parsed_item_by_item(sample) -> None:
    assert (sample.title, sample.team, sample.mode) == ("Person lookup", "robbery", "read")
    # An indented comment line continues the item above it.
    assert sample.description.endswith("in a window that is given by two date-times.")
    by_name = {p.name: p for p in sample.params}
    assert list(by_name) == [
        "person_id",
        "hops",
        "share",
        "exact",
        "start",
        "day",
        "level",
        "categories",
    ]
    assert (by_name["person_id"].required, by_name["person_id"].example) == (True, "P1")
    assert (by_name["hops"].default, by_name["hops"].minimum, by_name["hops"].maximum) == (2, 1, 3)
    assert by_name["exact"].default is False
    assert by_name["start"].default is None
    # Examples are converted like values: a local time becomes London's (GMT in January).
    assert by_name["start"].example == "2024-01-01T00:00:00+00:00"
    assert by_name["level"].choices == ("location", "ward", "borough")
    assert by_name["categories"].example == ["gun_enabled"]
    assert [(c.name, c.description) for c in sample.columns] == [("age_band", "the age band")]
    # Parameters in comments and string literals are not parameters.
    assert sample.used_parameters == set(by_name)
    assert sample.body == BODY.rstrip("\n")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("MATCH (n) RETURN n.id AS id", "the header lacks title, description, team, mode"),
        (HEADER.replace("// team: robbery\n", ""), "the header lacks team"),
        (HEADER + "// colour: blue\n", "'// colour: blue' is not a header item"),
        (HEADER.replace("mode: read", "mode: delete"), "mode 'delete' must be read or write"),
        (
            HEADER.replace("// title: Person lookup", "// title: Person lookup\n// title: Again"),
            "the header gives title twice",
        ),
        (HEADER.replace("integer, default 2", "int, default 2"), "type 'int' is not one of"),
        (
            HEADER.replace("required, example", "example"),
            "give either `required` or `default VALUE`",
        ),
        (
            HEADER.replace("string, required", 'string, required, default "P1"'),
            "give either `required` or `default VALUE`",
        ),
        (HEADER.replace(" -- the person's id", ""), "say what it means after ` -- `"),
        (HEADER.replace("default 2, example 2", "default two"), "does not start with a JSON value"),
        (HEADER.replace("default 2, example 2", "default 2.5"), "2.5 is not a whole number"),
        (HEADER.replace("default 0.5, min 0", "default 1.5, min 0"), "1.5 is above its maximum 1"),
        (
            HEADER.replace('string, default "ward"', 'string, default "street"'),
            "'street' is not one of location, ward, borough",
        ),
        (
            HEADER.replace("boolean, default false", "boolean, default false, min 0"),
            "only integer and float parameters take min and max",
        ),
        (
            HEADER.replace("// param hops", "// param person_id"),
            "parameter 'person_id' is declared twice",
        ),
        (HEADER.replace("// column age_band: the age band\n", ""), "declares no column"),
    ],
)
def test_a_bad_header_is_refused_naming_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(QueryError, match=re.escape(message)):
        parse_query(text + ("" if text.startswith("MATCH") else BODY), name="sample")


def test_declared_and_used_parameters_must_agree() -> None:
    with pytest.raises(QueryError, match=r"uses \$extra but its header does not declare it"):
        parse_query(HEADER + BODY.replace("$hops > 0", "$extra > 0 AND $hops > 0"), name="q")
    with pytest.raises(QueryError, match="declares parameter 'hops' but does not use it"):
        parse_query(HEADER + BODY.replace("$hops > 0 AND", ""), name="q")


@pytest.mark.parametrize(
    ("raw", "name", "expected"),
    [
        ({"hops": "3"}, "hops", 3),
        ({"hops": 1}, "hops", 1),
        ({"share": "0.25"}, "share", 0.25),
        ({"exact": "yes"}, "exact", True),
        ({"exact": "FALSE"}, "exact", False),
        # Local times are London's: BST in June, GMT in December; offsets are kept.
        ({"start": "2024-06-01T00:00"}, "start", "2024-06-01T00:00:00+01:00"),
        ({"start": "2024-12-01"}, "start", "2024-12-01T00:00:00+00:00"),
        ({"start": "2024-06-01T00:00:00Z"}, "start", "2024-06-01T00:00:00+00:00"),
        ({"day": "2024-02-29"}, "day", "2024-02-29"),
        (
            {"categories": "gun_enabled, knife_enabled"},
            "categories",
            ["gun_enabled", "knife_enabled"],
        ),
        ({"categories": '["a,b", "c"]'}, "categories", ["a,b", "c"]),
        ({}, "hops", 2),
        ({}, "start", None),
        ({"hops": None}, "hops", 2),
    ],
)
def test_values_are_converted_by_declared_type(sample, raw, name, expected) -> None:
    values = check_parameters(sample, {"person_id": "P1", **raw})
    assert values[name] == expected
    assert set(values) == {p.name for p in sample.params}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({}, "query 'sample' needs parameter 'person_id' (string, e.g. 'P1')"),
        (
            {"person_id": "P1", "nme": "x"},
            "query 'sample' has no parameter 'nme' (its parameters: person_id, hops,",
        ),
        (
            {"person_id": "P1", "hops": "1 OR 1=1"},
            "parameter 'hops' = '1 OR 1=1' is not a whole number",
        ),
        ({"person_id": "P1", "hops": "2.5"}, "parameter 'hops' = '2.5' is not a whole number"),
        ({"person_id": "P1", "hops": True}, "parameter 'hops' = True is not a whole number"),
        ({"person_id": "P1", "hops": "4"}, "parameter 'hops' = 4 is above its maximum 3"),
        ({"person_id": "P1", "hops": "0"}, "parameter 'hops' = 0 is below its minimum 1"),
        ({"person_id": "P1", "share": "nan"}, "parameter 'share' = 'nan' is not a number"),
        ({"person_id": "P1", "exact": "maybe"}, "parameter 'exact' = 'maybe' is not true or false"),
        (
            {"person_id": "P1", "start": "yesterday"},
            "parameter 'start' = 'yesterday' is not a date-time",
        ),
        ({"person_id": "P1", "day": "2024-13-01"}, "parameter 'day' = '2024-13-01' is not a date"),
        (
            {"person_id": "P1", "categories": "[1, 2]"},
            "parameter 'categories' = '[1, 2]' is not a list of strings",
        ),
        (
            {"person_id": "P1", "level": "street"},
            "parameter 'level' = 'street' is not one of location, ward, borough",
        ),
        ({"person_id": 1}, "parameter 'person_id' = 1 is not a string"),
    ],
)
def test_bad_values_are_refused_naming_parameter_and_value(sample, raw, message) -> None:
    with pytest.raises(QueryError, match=re.escape(message)):
        check_parameters(sample, raw)


@pytest.mark.parametrize(
    ("query_type", "operators", "forbidden", "writes"),
    [
        ("r", ["ProduceResults", "Projection", "NodeByLabelScan"], [], []),
        ("r", ["ProduceResults", "ProcedureCall:db.labels"], [], []),
        ("w", ["ProduceResults", "EmptyResult", "Create"], [], ["query type 'w'", "Create"]),
        ("rw", ["Merge", "NodeUniqueIndexSeek(Locking)"], [], ["query type 'rw'", "Merge"]),
        ("w", ["DetachDelete", "AllNodesScan"], [], ["query type 'w'", "DetachDelete"]),
        ("w", ["Foreach", "NodeByLabelScan"], [], ["query type 'w'", "Foreach"]),
        ("rw", ["SubqueryForeach", "SetProperty"], [], ["query type 'rw'", "SetProperty"]),
        # A read by its query type that the plan shows to write is still a write.
        ("r", ["SetLabels"], [], ["SetLabels"]),
        ("r", ["ProduceResults", "LoadCSV"], ["LoadCSV"], []),
        ("r", ["ProduceResults", "TerminateTransactions"], ["TerminateTransactions"], []),
        ("r", ["ProduceResults", "ShowTransactions"], ["ShowTransactions"], []),
        (
            "s",
            ["ProduceResults", "ProcedureCall:dbms.components"],
            ["schema or administration (query type 's')", "ProcedureCall:dbms.components"],
            [],
        ),
        (
            "s",
            ["AdministrationCommand"],
            ["schema or administration (query type 's')", "AdministrationCommand"],
            [],
        ),
    ],
)
def test_plans_that_write_or_administer_are_recognised(query_type, operators, forbidden, writes):
    assert _refusals(query_type, operators) == (forbidden, writes)


def test_load_query_by_name_or_path_and_its_errors(tmp_path: Path) -> None:
    assert load_query("co_offenders").path == cypher_dir() / "co_offenders.cypher"
    with pytest.raises(QueryError, match="no library query 'co_offender'; the library holds: "):
        load_query("co_offender")
    for bad in ("../schema", "schema", "Co-Offenders"):
        with pytest.raises(QueryError):
            load_query(bad)
    with pytest.raises(QueryError, match="cannot read the query file"):
        load_query(tmp_path / "missing.cypher")
    mine = tmp_path / "mine.cypher"
    mine.write_text(HEADER + BODY, encoding="utf-8")
    assert load_query(str(mine)).name == "mine"


def test_the_library_holds_the_teams_queries() -> None:
    assert [q.name for q in list_queries()] == [p.stem for p in LIBRARY]
    assert {p.stem for p in LIBRARY} >= {
        "co_offenders",
        "shortest_paths",
        "repeat_victims",
        "domestic_repeat_pairs",
        "victim_offenders",
        "near_weapon_incidents",
        "person_network",
        "escalating_offenders",
        "central_offenders",
        "dangerous_places",
        "near_repeats",
        "ward_network",
        "hate_crime_repeat_locations",
        "repeat_suspects",
    }
    assert {q.team for q in list_queries()} == set(TEAMS)
    robbery = {q.name for q in list_queries("robbery")}
    assert "near_repeats" in robbery and "dangerous_places" in robbery  # a query for all teams
    assert "co_offenders" not in robbery


# --- every library file, one by one -------------------------------------------------------


def _body_code(path: Path) -> str:
    """The Cypher below the header, with string literals emptied."""
    body = load_query(path).body
    assert "//" not in body, f"{path.name}: keep comments in the header"
    return re.sub(r"'[^']*'|\"[^\"]*\"", "''", body)


def _top_level_returns(code: str) -> list[str]:
    """The RETURN clauses outside subqueries (``CALL { ... }``), each up to its end."""
    depth, starts = 0, []
    for match in re.finditer(r"[{}]|\bRETURN\b", code):
        token = match.group()
        depth += {"{": 1, "}": -1}.get(token, 0)
        if token == "RETURN" and depth == 0:
            starts.append(match.end())
    return [code[start:].split("RETURN")[0] for start in starts]


def _return_items(clause: str) -> list[str]:
    """The items of a RETURN clause, split on the commas outside brackets."""
    items = re.split(r"\b(?:ORDER BY|SKIP|LIMIT)\b", clause)[0]
    depth, parts, current = 0, [], ""
    for char in items:
        depth += {"(": 1, "[": 1, "{": 1, ")": -1, "]": -1, "}": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]


def _return_aliases(clause: str) -> list[str]:
    aliases = []
    for part in _return_items(clause):
        match = re.search(r"\bAS\s+(\w+)\s*$", part.strip())
        # A bare variable is its own column name; anything else needs AS.
        bare = re.fullmatch(r"\w+", part.strip())
        assert match or bare, f"return item {part.strip()!r} has no alias"
        aliases.append(match.group(1) if match else part.strip())
    return aliases


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.stem)
def test_library_file_has_a_complete_header(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("// title: "), f"{path.name} must open with its header"
    query = load_query(path)
    assert query.title and query.description and query.mode == "read"
    assert query.team in TEAMS
    assert query.columns and all(c.description for c in query.columns)
    for parameter in query.params:
        assert parameter.description
        if parameter.required:
            assert parameter.example is not None, f"{parameter.name} needs an example"
        if "categor" in parameter.name:
            assert parameter.choices == CATEGORIES


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.stem)
def test_declared_parameters_are_exactly_those_used(path: Path) -> None:
    used = set(re.findall(r"\$(\w+)", _body_code(path)))
    declared = {p.name for p in load_query(path).params}
    assert declared == used


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.stem)
def test_declared_columns_are_exactly_those_returned(path: Path) -> None:
    declared = [c.name for c in load_query(path).columns]
    returns = _top_level_returns(_body_code(path))
    assert returns, "no RETURN"
    for clause in returns:
        assert _return_aliases(clause) == declared


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.stem)
def test_no_library_query_returns_a_name_of_a_person(path: Path) -> None:
    code = _body_code(path)
    assert not re.search(r"\b(properties|keys)\s*\(|\bRETURN\s+\*", code)
    # A .name is read only from variables bound to places, never to people.
    for variable in set(re.findall(r"\b(\w+)\.name\b", code)):
        labels = set(re.findall(rf"\(\s*{variable}\s*:\s*(\w+)", code))
        assert labels and labels <= {"Location", "Ward", "Borough"}, f"{variable}.name"
    # Nor is a whole node returned, which would carry every property, a name included.
    node_variables = set(re.findall(r"(?<![\w.])\(\s*(\w+)\s*(?=[:){])", code))
    assert node_variables, "the node patterns' variables were not found"
    for clause in _top_level_returns(code):
        for part in _return_items(clause):
            expression = re.sub(r"\s+AS\s+\w+\s*$", "", part.strip())
            assert expression not in node_variables, f"returns the node {expression}"


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.stem)
def test_every_pattern_is_bounded_and_every_result_limited(path: Path) -> None:
    code = _body_code(path)
    for relationship in re.findall(r"-\[([^\]]*\*[^\]]*)\]-", code):
        length = relationship.split("*", 1)[1].strip()
        # *N, *M..N and *..N are bounded; *, *N.. are not.
        assert re.fullmatch(r"\d+|\d*\s*\.\.\s*\d+", length), f"unbounded [{relationship}]"
    for quantifier in re.findall(r"\)\s*(\{[^}:]*\}|[+*](?=\s*\())", code):
        assert re.fullmatch(r"\{\s*\d*\s*,\s*\d+\s*\}|\{\s*\d+\s*\}", quantifier), (
            f"unbounded quantified path {quantifier}"
        )
    last = _top_level_returns(code)[-1]
    assert re.search(r"\bLIMIT \$limit\s*$", last), "the result must end with LIMIT $limit"
    limit = load_query(path).parameter("limit")
    assert limit.type == "integer" and limit.maximum is not None and limit.default is not None


@pytest.mark.parametrize(
    "text",
    [
        # the three bypasses of issue 12, finding 7
        "MATCH (p:Person) RETURN [k IN keys(p) | p[k]] AS x",
        "MATCH (p:Person) RETURN [k IN keys(p) | [k, p[k]]] AS x",
        "MATCH (p:Person) RETURN {Name: p.name} AS x",
        "MATCH (p:Person) RETURN p{.*} AS x",
        "MATCH (p:Person) RETURN p{.name} AS x",
        "MATCH (p:Person) RETURN p[$key] AS x",
        "MATCH (p:Person) RETURN properties(p) AS x",
        "MATCH (p:Person) RETURN p.`name` AS x",
        "MATCH (p:Person) RETURN p /* hidden */ . name AS x",
        "MATCH (p:Person) WHERE p.name STARTS WITH 'A' RETURN p.id AS x",
        "MATCH (p:Person {name: 'Synthetic One'}) RETURN p.id AS x",
        "MATCH (n) RETURN n.name AS x",
        "MATCH (l:Location) WITH l MATCH (p:Person) WITH p AS l RETURN l.name AS x",
        "MATCH (l:Location|Person) RETURN l.name AS x",
        "MATCH (l:Location) CALL { MATCH (l) RETURN 1 AS one } RETURN l.name AS x",
        "MATCH (l:Location) MATCH (p:Person) RETURN reduce(l = p, x IN [1] | l.name) AS x",
        "MATCH (l:Location) MATCH (p:Person) RETURN [l IN [p] | l.name] AS x",
        "MATCH (l:Location) UNWIND [(p:Person) | p] AS l RETURN l.name AS x",
        "MATCH (l:Location)-[l2]-() WITH {a: l} AS m RETURN m.a.name AS x",
        "MATCH (p:Person) WITH collect(p) AS ps RETURN ps[0].name AS x",
        "MATCH (p:Person) RETURN apoc.any.properties(p) AS x",
        "MATCH (é:Person) RETURN é.name AS x",
    ],
)
def test_every_way_of_reading_a_name_is_refused(text: str) -> None:
    from graphvc.queries import identifying_reads

    assert identifying_reads(text)


@pytest.mark.parametrize(
    "text",
    [
        "MATCH (l:Location) RETURN l.name AS x",
        "MATCH (w:Ward)<-[:IN_WARD]-(l:Location) RETURN w.name AS ward, l.`name` AS place",
        "MATCH (p:Person) WITH collect(p.id) AS ids RETURN ids[0] AS a, ids[-1] AS b",
        "WITH [1, 2, 3] AS xs RETURN [k IN range(1, size(xs) - 1) | xs[k - 1]] AS x",
        "RETURN duration.inSeconds(date(), date()).seconds AS x",
        "MATCH (p:Person) RETURN p.id AS id, p.age_band AS age_band",
    ],
)
def test_queries_that_read_no_name_pass_the_guard(text: str) -> None:
    from graphvc.queries import identifying_reads

    assert identifying_reads(text) == []


def test_only_read_only_procedures_are_allowed() -> None:
    from graphvc.queries.runner import _refusals

    assert _refusals("r", ["ProcedureCall:db.labels"]) == ([], [])
    forbidden, _ = _refusals("r", ["ProcedureCall:db.stats.collect", "ProcedureCall:dbms.x"])
    assert forbidden == ["ProcedureCall:db.stats.collect", "ProcedureCall:dbms.x"]


def test_an_integer_beyond_64_bits_is_a_user_error() -> None:
    query = load_query("dangerous_places")
    with pytest.raises(QueryError, match="beyond a 64-bit whole number"):
        check_parameters(query, {"limit": "99999999999999999999999"})


# --- the name guard on the plan (issue 32) --------------------------------------------------
# The plans below are those Neo4j 5.26 makes (EXPLAIN, through the Python driver), cut to the
# keys the guard reads: operatorType, args.Details, identifiers and children.


def _op(name: str, details: str | None, identifiers: list[str], *children: dict) -> dict:
    args = {} if details is None else {"Details": details}
    return {
        "operatorType": f"{name}@neo4j",
        "args": args,
        "identifiers": identifiers,
        "children": list(children),
    }


def _plan(root: dict, columns: tuple[str, ...] = ("x",)) -> object:
    from graphvc.queries.plan import Plan, _walk

    return Plan("r", columns, tuple(_walk(root)))


def _projected(expression: str, scan: dict, identifiers: list[str]) -> object:
    return _plan(
        _op(
            "ProduceResults",
            "x",
            [*identifiers, "x"],
            _op("Projection", f"{expression} AS x", [*identifiers, "x"], scan),
        )
    )


PERSONS = _op("NodeByLabelScan", "p:Person", ["p"])
PLACES = _op("NodeByLabelScan", "l:Location", ["l"])
# MATCH (w:Ward)<-[:IN_WARD]-(l:Location): the labels are checked by a filter above the scan.
WARDS = _op(
    "Filter",
    "(w:Ward AND l:Location)",
    ["anon_0", "l", "w"],
    _op("DirectedRelationshipTypeScan", "(l)-[anon_0:IN_WARD]->(w)", ["anon_0", "l", "w"]),
)
BOTH = _op("CartesianProduct", None, ["l", "p"], PLACES, PERSONS)


@pytest.mark.parametrize(
    ("expression", "scan", "identifiers", "reason"),
    [
        # what `p.\u006eame`, `p.`\u006eame``, `propertie\u0073(p)` and the like plan as
        ("p.name", PERSONS, ["p"], "reads 'name' of 'p'"),
        ("toUpper(cache[p.name])", PERSONS, ["p"], "reads 'name' of 'p'"),
        ("properties(p)", PERSONS, ["p"], r"keys \(properties\(\)\)"),
        ("[k IN keys(p) | p[k]]", PERSONS, ["p"], r"computed key \(p\[k\]\)"),
        ("p{.*}", PERSONS, ["p"], r"every property"),
        ("p{.name}", PERSONS, ["p"], "reads 'name' of an expression"),
        ("p[$autostring_0]", PERSONS, ["p"], "computed key"),
        ("[l IN [p] | l.name]", BOTH, ["l", "p"], "reads 'name' of 'l'"),
        ("CASE\n  WHEN true THEN l\n  ELSE p\nEND.name", BOTH, ["l", "p"], "'END'"),
        ("apoc.any.properties(p)", PERSONS, ["p"], r"plugin \(apoc\.any\.properties\)"),
        (
            "l.name",
            _op("UnionNodeByLabelsScan", "l:Location|Person", ["l"]),
            ["l"],
            "reads 'name' of 'l'",
        ),
        ("n.seq", _op("NodeByLabelScan", "n:AuditHead", ["n"]), ["n"], r"\(:AuditHead\)"),
        ("n.id", _op("Filter", "n:%", ["n"], _op("AllNodesScan", "n", ["n"])), ["n"], ":%"),
    ],
)
def test_the_plan_guard_refuses_every_read_of_a_name(
    expression: str, scan: dict, identifiers: list[str], reason: str
) -> None:
    from graphvc.queries import plan_reads

    reads = plan_reads(_projected(expression, scan, identifiers))  # type: ignore[arg-type]
    assert any(re.search(reason, read) for read in reads), reads


def test_the_plan_guard_refuses_a_place_variable_bound_again() -> None:
    from graphvc.queries import plan_reads

    # MATCH (l:Location) WITH l MATCH (p:Person) WITH p AS l RETURN l.name AS x
    rebound = _projected("l.name", _op("Projection", "p AS l", ["l", "p"], BOTH), ["l", "p"])
    assert plan_reads(rebound) == ["reads 'name' of 'l', which is not bound only as a place"]  # type: ignore[arg-type]
    # MATCH (l:Location) CALL { MATCH (l) RETURN 1 AS one } RETURN l.name AS x
    shadowed = _op(
        "CartesianProduct",
        None,
        ["l", "one"],
        PLACES,
        _op("Projection", "$autoint_0 AS one", ["l", "one"], _op("AllNodesScan", "l", ["l"])),
    )
    assert plan_reads(_projected("l.name", shadowed, ["l", "one"]))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("expression", "scan", "identifiers"),
    [
        ("l.name", PLACES, ["l"]),
        ("cache[w.name]", WARDS, ["anon_0", "l", "w"]),
        ("[k IN range($autoint_0, size(xs) - $autoint_1) | xs[(k - $autoint_2)]]", PLACES, ["l"]),
        ("(xs[$autoint_0]).occurred_at", PLACES, ["l"]),
        ("duration.inSeconds(l.at, l.at).seconds", PLACES, ["l"]),
    ],
)
def test_the_plan_guard_passes_places_and_whole_number_subscripts(
    expression: str, scan: dict, identifiers: list[str]
) -> None:
    from graphvc.queries import plan_reads

    assert plan_reads(_projected(expression, scan, identifiers)) == []  # type: ignore[arg-type]


def test_a_result_is_limited_only_by_limit_at_its_root() -> None:
    from graphvc.queries.runner import _limited

    limited = _op("Top", "x ASC LIMIT $limit", ["p", "x"], PERSONS)
    assert _limited(_projected("p.id", limited, ["p"]))  # type: ignore[arg-type]
    # MATCH ... RETURN p.id AS x UNION ALL MATCH ... RETURN p.id AS x LIMIT $limit
    union = _op(
        "Union",
        None,
        ["x"],
        _op("Projection", "p.id AS x", ["p", "x"], PERSONS),
        _op("Projection", "p.id AS x", ["p", "x"], _op("Limit", "$limit", ["p"], PERSONS)),
    )
    assert not _limited(_plan(_op("ProduceResults", "x", ["x"], union)))  # type: ignore[arg-type]
    more = _op("Limit", "$limit + $autoint_0", ["p"], PERSONS)
    assert not _limited(_projected("p.id", more, ["p"]))  # type: ignore[arg-type]
