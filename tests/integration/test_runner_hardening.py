"""The query runner against hostile queries, on the real Neo4j (issue 12, findings 7-11).

The fuzz test runs every payload through :func:`run_stored_query` on the small fixture graph
and checks after each that the graph is unchanged (a checksum of every node and relationship
with its properties) and that no person's name came out.
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import neo4j
import pytest
from click.testing import CliRunner

from graphvc.cli import cli
from graphvc.config import Settings
from graphvc.db import run_query
from graphvc.errors import GraphvcError, QueryError
from graphvc.queries import parse_query, run_stored_query
from graphvc.schema import wipe
from loaders.folder import load_folder

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

HEADER = """// title: fuzz
// description: a hostile query
// team: all teams
// column x: anything
// mode: {mode}
"""

# Writes hidden in subqueries, procedures, other databases, administration, and every shape of
# reading a name: each is refused, or runs and returns no name.
PAYLOADS = [
    # writes
    "CREATE (n:Person {id: 'X'}) RETURN 1 AS x",
    "MATCH (p:Person) SET p.age_band = '65+' RETURN 1 AS x",
    "MATCH (p:Person) DETACH DELETE p RETURN 1 AS x",
    "MATCH (p:Person) REMOVE p.sex RETURN 1 AS x",
    "MERGE (n:Ward {code: 'X'}) RETURN 1 AS x",
    "CALL { CREATE (n:Person {id: 'Y'}) } RETURN 1 AS x",
    "CALL () { MATCH (p:Person) SET p.x = 1 } RETURN 1 AS x",
    "MATCH (p:Person) CALL (p) { SET p.y = 2 } RETURN 1 AS x",
    "FOREACH (i IN [1] | CREATE (:Incident {id: 'Z'})) RETURN 1 AS x",
    "UNWIND [1] AS i CALL { CREATE (:Location {id: 'L9'}) } IN TRANSACTIONS RETURN 1 AS x",
    "MATCH (a:Person), (b:Person) CREATE (a)-[:ASSOCIATE_OF]->(b) RETURN 1 AS x",
    "MATCH ()-[r]->() DELETE r RETURN 1 AS x",
    "MATCH (p:Person) SET p += {sex: 'X'} RETURN 1 AS x",
    "MATCH (p:Person) SET p:Suspect RETURN 1 AS x",
    "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line AS x",
    # procedures
    "CALL db.stats.collect('QUERIES') YIELD section RETURN section AS x",
    "CALL db.stats.retrieve('QUERIES') YIELD data RETURN data AS x",
    "CALL db.stats.clear('QUERIES') YIELD section RETURN section AS x",
    "CALL dbms.listConfig() YIELD name RETURN name AS x",
    "CALL dbms.components() YIELD name RETURN name AS x",
    "CALL db.createLabel('Evil') RETURN 1 AS x",
    "CALL db.createProperty('evil') RETURN 1 AS x",
    "CALL db.clearQueryCaches() YIELD value RETURN value AS x",
    "CALL db.index.fulltext.queryNodes('x', 'y') YIELD node RETURN node.id AS x",
    "CALL db.schema.visualization() YIELD nodes RETURN nodes AS x",
    "CALL dbms.killQueries(['x']) YIELD queryId RETURN queryId AS x",
    "CALL db.info() YIELD name RETURN name AS x",
    "CALL tx.setMetaData({a: 1}) RETURN 1 AS x",
    "CALL db.awaitIndexes(1) RETURN 1 AS x",
    # administration and other databases
    "USE system SHOW USERS YIELD user RETURN user AS x",
    "USE system MATCH (n) RETURN n.name AS x",
    "SHOW DATABASES YIELD name RETURN name AS x",
    "SHOW TRANSACTIONS YIELD query RETURN query AS x",
    "TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
    "SHOW PROCEDURES YIELD name RETURN name AS x",
    "CREATE INDEX evil FOR (n:Person) ON (n.x)",
    "DROP CONSTRAINT person_id IF EXISTS",
    "CREATE USER evil SET PASSWORD 'evilevilevil'",
    "STOP DATABASE neo4j",
    # names, in every shape
    "MATCH (p:Person) RETURN p.name AS x",
    "MATCH (p:Person) RETURN p AS x",
    "MATCH (p:Person) RETURN [p] AS x",
    "MATCH (p:Person) RETURN {node: p} AS x",
    "MATCH path = (p:Person)-->() RETURN path AS x",
    "MATCH (p:Person) RETURN [k IN keys(p) | p[k]] AS x",
    "MATCH (p:Person) RETURN [k IN keys(p) | [k, p[k]]] AS x",
    "MATCH (p:Person) RETURN {Name: p.name} AS x",
    "MATCH (p:Person) RETURN p{.*} AS x",
    "MATCH (p:Person) RETURN p{.name} AS x",
    "MATCH (p:Person) RETURN properties(p) AS x",
    "MATCH (p:Person) RETURN toUpper(p.`name`) AS x",
    "MATCH (p:Person) RETURN substring(p.name, 0, 3) AS x",
    "MATCH (p:Person) RETURN reverse(p . name) AS x",
    "MATCH (p:Person) RETURN p['na' + 'me'] AS x",
    "MATCH (p:Person) WITH p, 'name' AS k RETURN p[k] AS x",
    "MATCH (p:Person) WHERE p.name STARTS WITH 'Synthetic' RETURN p.id AS x",
    "MATCH (p:Person {name: 'Synthetic One'}) RETURN p.id AS x",
    "MATCH (n) RETURN n.name AS x",
    "MATCH (l:Location) WITH l MATCH (p:Person) WITH p AS l RETURN l.name AS x",
    "MATCH (l:Location|Person) RETURN l.name AS x",
    "MATCH (l:Location) CALL { MATCH (l) RETURN 1 AS one } RETURN l.name AS x",
    "MATCH (l:Location) MATCH (p:Person) RETURN [l IN [p] | l.name] AS x",
    "MATCH (p:Person) WITH collect(p) AS ps RETURN ps[0].name AS x",
    "MATCH (p:Person) RETURN COLLECT { MATCH (p) RETURN p.name } AS x",
    "MATCH (p:Person) RETURN p./* c */name AS x",
    "MATCH (p:Person) RETURN [x IN [p] | x{.*}] AS x",
    "MATCH (p:Person) WITH p ORDER BY p.name RETURN p.id AS x",
    "MATCH (`l`:Location) MATCH (p:Person) WITH p AS `l` RETURN `l`.name AS x",
    # allowed: they run, and no name comes out
    "MATCH (l:Location) RETURN l.name AS x",
    "MATCH (p:Person) RETURN p.id AS x",
    "CALL db.labels() YIELD label RETURN label AS x",
    "MATCH (p:Person) RETURN size(keys({a: 1})) AS x",
]


def _checksum(driver: neo4j.Driver) -> str:
    nodes = run_query(
        driver,
        "MATCH (n) WITH n ORDER BY elementId(n) "
        "RETURN collect([labels(n), properties(n)]) AS nodes",
    ).at[0, "nodes"]
    links = run_query(
        driver,
        "MATCH (a)-[r]->(b) WITH a, r, b ORDER BY elementId(r) "
        "RETURN collect([a.id, type(r), properties(r), b.id]) AS links",
    ).at[0, "links"]
    return hashlib.sha256(json.dumps([nodes, links], default=str).encode()).hexdigest()


@pytest.fixture(scope="module")
def graph(empty_graph: neo4j.Driver) -> neo4j.Driver:
    wipe(empty_graph)
    load_folder(empty_graph, FIXTURES / "small")
    return empty_graph


@pytest.fixture(scope="module")
def names(graph: neo4j.Driver) -> list[str]:
    found = run_query(graph, "MATCH (p:Person) WHERE p.name IS NOT NULL RETURN p.name AS name")
    assert len(found) >= 8
    return list(found["name"])


def test_the_fuzz_corpus_is_large() -> None:
    assert len(PAYLOADS) >= 60


@pytest.mark.parametrize("mode", ["read", "write"])
@pytest.mark.parametrize("payload", PAYLOADS)
def test_runner_fuzz(graph: neo4j.Driver, names: list[str], payload: str, mode: str) -> None:
    before = _checksum(graph)
    query = parse_query(HEADER.format(mode=mode) + payload, name="fuzz")
    try:
        # even a query that says it writes, run without --allow-write
        frame = run_stored_query(graph, query, timeout=10)
    except GraphvcError:
        frame = None
    assert _checksum(graph) == before
    if frame is not None:
        text = json.dumps(frame.to_dict(orient="records"), default=str)
        assert not [name for name in names if name in text]


def test_collecting_query_statistics_is_refused(graph: neo4j.Driver) -> None:
    query = parse_query(
        HEADER.format(mode="read")
        + "CALL db.stats.collect('QUERIES') YIELD section RETURN section AS x",
        name="stats",
    )
    with pytest.raises(QueryError, match=r"db\.stats\.collect"):
        run_stored_query(graph, query)


def test_a_runaway_query_stops_within_its_timeout_in_one_line(graph: neo4j.Driver) -> None:
    query = parse_query(
        HEADER.format(mode="read")
        + "UNWIND range(1, 100000000) AS i RETURN size(collect([i, i, i, i, i, i, i, i])) AS x",
        name="runaway",
    )
    started = time.monotonic()
    with pytest.raises(QueryError) as raised:
        run_stored_query(graph, query, timeout=15)
    # The driver used to retry the server's out-of-memory failure for 30 s more.
    assert time.monotonic() - started < 28
    assert "\n" not in str(raised.value)


def _memory(driver: neo4j.Driver, limit: int) -> int:
    """Neo4j's own account of the memory dangerous_places needs at location level."""
    query = parse_query(
        (Path(__file__).resolve().parents[2] / "cypher" / "dangerous_places.cypher").read_text(),
        name="dangerous_places",
    )
    with driver.session() as session:
        summary = session.run(
            "PROFILE " + query.text,
            {"level": "location", "categories": None, "start": None, "end": None, "limit": limit},
        ).consume()
    return int(summary.profile["args"]["GlobalMemory"])


def test_dangerous_places_memory_does_not_grow_with_limit_times_places(
    empty_graph: neo4j.Driver, tmp_path: Path
) -> None:
    from graphvc.synth import generate, synthetic_city, write

    wipe(empty_graph)
    write(generate(2000, seed=3, geography=synthetic_city(3)), tmp_path)
    load_folder(empty_graph, tmp_path)
    small, large = _memory(empty_graph, 1), _memory(empty_graph, 100)
    assert large < 2 * small, (small, large)
    wipe(empty_graph)


def test_cli_refuses_an_integer_beyond_64_bits_in_one_line(
    graph: neo4j.Driver, test_settings: Settings
) -> None:
    env = {"NEO4J_URI": test_settings.uri, "NEO4J_PASSWORD": test_settings.neo4j_password}
    result = CliRunner().invoke(
        cli,
        ["query", "run", "dangerous_places", "--param", "limit=99999999999999999999999"],
        env=env,
    )
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "beyond a 64-bit whole number" in result.stderr and result.stderr.count("\n") == 1


def test_cli_reports_an_unwritable_home_in_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    env = {"GRAPHVC_HOME": str(blocker / "home"), "GRAPHVC_NEO4J_BOLT_PORT": "7742"}
    result = CliRunner().invoke(cli, ["db", "counts"], env={**env, "NEO4J_URI": ""})
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "cannot be written" in result.stderr and result.stderr.count("\n") == 1


# --- every result ends in LIMIT $limit (issue 32) -------------------------------------------


@pytest.fixture(scope="module")
def reloaded(empty_graph: neo4j.Driver) -> neo4j.Driver:
    """The small fixture again (the memory test above leaves the graph empty)."""
    wipe(empty_graph)
    load_folder(empty_graph, FIXTURES / "small")
    return empty_graph


LIMITED_HEADER = """// title: limit
// description: a query that does not end in LIMIT $limit
// team: all teams
// param limit: integer, default 3, min 1, max 10 -- the most rows returned
// column x: anything
// mode: read
"""


@pytest.mark.parametrize(
    "body",
    [
        "MATCH (p:Person) RETURN p.id AS x",
        "MATCH (p:Person) RETURN p.id AS x ORDER BY x",
        # LIMIT $limit on the last branch of a union limits that branch alone.
        "MATCH (p:Person) RETURN p.id AS x UNION ALL MATCH (i:Incident) RETURN i.id AS x "
        "LIMIT $limit",
        "MATCH (p:Person) RETURN p.id AS x LIMIT $limit + 100",
        "MATCH (p:Person) WITH p LIMIT $limit UNWIND [1, 2, 3] AS copy RETURN p.id AS x",
    ],
)
def test_a_result_ends_in_its_declared_limit_whatever_the_query_says(
    reloaded: neo4j.Driver, body: str
) -> None:
    query = parse_query(LIMITED_HEADER + body, name="limit")
    assert len(run_stored_query(reloaded, query, timeout=10)) == 3
    assert len(run_stored_query(reloaded, query, {"limit": 5}, timeout=10)) == 5


def test_a_query_without_a_limit_parameter_stops_at_the_default(
    reloaded: neo4j.Driver,
) -> None:
    from graphvc.queries import DEFAULT_LIMIT

    query = parse_query(
        HEADER.format(mode="read") + "UNWIND range(1, 5000) AS i RETURN i AS x", name="many"
    )
    frame = run_stored_query(reloaded, query, timeout=10)
    assert frame["x"].tolist() == list(range(1, DEFAULT_LIMIT + 1))


def test_a_limited_query_keeps_its_order_and_columns(reloaded: neo4j.Driver) -> None:
    query = parse_query(
        LIMITED_HEADER.replace("// column x: anything\n", "// column y: y\n// column x: x\n")
        + "MATCH (p:Person) RETURN p.id AS y, p.id AS x ORDER BY y DESC",
        name="ordered",
    )
    frame = run_stored_query(reloaded, query, timeout=10)
    assert list(frame.columns) == ["y", "x"]
    assert frame["y"].tolist() == ["P9", "P8", "P7"]
