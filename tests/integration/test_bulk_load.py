"""The bulk first load (`graphvc load --bulk`, Neo4j's offline importer) builds exactly the graph
the online loader builds: every node's labels and typed properties, every relationship's type,
ends and typed properties, the constraints and the indexes. It refuses, in one line, a
database that holds nodes and a server that is not the managed one.

The importer needs the server stopped, so this module runs a managed Neo4j of its own on the
suite's port + 50: the suite's server is never stopped.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import neo4j
import pytest
from click.testing import CliRunner

from graphvc import audit, localserver
from graphvc.cli import cli
from graphvc.config import Settings
from graphvc.db import connect, forget_bookmarks
from graphvc.errors import BulkLoadError
from graphvc.schema import apply_schema, graph_counts, wipe
from graphvc.synth import generate, synthetic_city, write
from loaders.bulk import check_bulk_allowed, write_bulk
from loaders.folder import load_folder, validate_folder

SMALL = Path(__file__).resolve().parents[1] / "fixtures" / "small"


@pytest.fixture(scope="module")
def bulk_server(test_settings: Settings) -> Iterator[Settings]:
    """A managed Neo4j of this module's own, 50 ports after the suite's, beside the suite's
    (its jars are fetched once)."""
    settings = replace(
        test_settings,
        neo4j_uri=None,
        home=test_settings.home.with_name(f"{test_settings.home.name}-bulk"),
        bolt_port=test_settings.bolt_port + 50,
        heap="1g",
        pagecache="512m",
    )
    localserver.start(settings)
    yield settings
    localserver.stop(settings)


@pytest.fixture(scope="module")
def driver(bulk_server: Settings) -> Iterator[neo4j.Driver]:
    with connect(bulk_server) as opened:
        yield opened


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small synthetic city: every table, every type of property."""
    out = tmp_path_factory.mktemp("bulk-city")
    write(generate(1000, seed=3, geography=synthetic_city(3)), out)
    return out


def _typed(properties: dict[str, Any]) -> dict[str, str]:
    """Each property as its driver type and value: a float 2.0 is not the integer 2, a
    date-time keeps its offset, a point its coordinate system."""
    return {key: f"{type(value).__name__}:{value!r}" for key, value in properties.items()}


def describe(driver: neo4j.Driver) -> dict[str, list[str]]:
    """The graph in canonical order: nodes, relationships, constraints, indexes."""
    read = neo4j.RoutingControl.READ
    nodes, _, _ = driver.execute_query(
        "MATCH (n) RETURN labels(n) AS labels, properties(n) AS properties", routing_=read
    )
    links, _, _ = driver.execute_query(
        "MATCH (a)-[r]->(b) RETURN type(r) AS type, coalesce(a.id, a.code) AS start, "
        "coalesce(b.id, b.code) AS end, properties(r) AS properties",
        routing_=read,
    )
    constraints, _, _ = driver.execute_query(
        "SHOW CONSTRAINTS YIELD name, type, entityType, labelsOrTypes, properties", routing_=read
    )
    indexes, _, _ = driver.execute_query(
        "SHOW INDEXES YIELD name, type, entityType, labelsOrTypes, properties, state",
        routing_=read,
    )

    def lines(records: list[neo4j.Record]) -> list[str]:
        out = []
        for record in records:
            data = dict(record)
            if "properties" in data and isinstance(data["properties"], dict):
                data["properties"] = _typed(data["properties"])
            out.append(json.dumps(data, sort_keys=True, default=str))
        return sorted(out)

    return {
        "nodes": lines(nodes),
        "relationships": lines(links),
        "constraints": lines(constraints),
        "indexes": lines(indexes),
    }


def _managed_env(settings: Settings, tmp_path: Path) -> dict[str, str | None]:
    """The environment of a graphvc command on this module's managed server."""
    return {
        "NEO4J_URI": None,
        "NEO4J_PASSWORD": settings.neo4j_password,
        "GRAPHVC_HOME": str(settings.home),
        "GRAPHVC_NEO4J_BOLT_PORT": str(settings.bolt_port),
        "GRAPHVC_NEO4J_HEAP": settings.heap,
        "GRAPHVC_NEO4J_PAGECACHE": settings.pagecache,
        "GRAPHVC_AUDIT_DIR": str(tmp_path / "audit"),
    }


def _online(driver: neo4j.Driver, folder: Path) -> dict[str, list[str]]:
    wipe(driver)
    apply_schema(driver)
    load_folder(driver, folder)
    return describe(driver)


def test_bulk_and_online_loads_of_the_fixture_build_the_same_graph(
    driver: neo4j.Driver, bulk_server: Settings, tmp_path: Path
) -> None:
    online = _online(driver, SMALL)
    wipe(driver)
    valid, summary = validate_folder(SMALL, driver=driver)
    loaded = write_bulk(driver, bulk_server, valid, summary, rejects_path=tmp_path / "rejects.csv")
    bulk = describe(driver)
    assert bulk == online
    # The fixture's numbers, typed: harm a float, flags booleans, a zoned date-time, a point.
    incident = next(line for line in bulk["nodes"] if "\"str:'I1'\"" in line)
    assert '"harm": "float:' in incident and '"weapon": "bool:False"' in incident
    assert '"occurred_at": "DateTime:' in incident
    location = next(line for line in bulk["nodes"] if "\"str:'L1'\"" in line)
    assert '"point": "WGS84Point:' in location
    # P6, named only by the associations, is there bare, as the online loader MERGEs it.
    assert any('"id": "str:\'P6\'"' in line for line in bulk["nodes"])
    counts = graph_counts(driver)
    assert loaded.counters["nodes_created"] == sum(
        counts[label] for label in ("Person", "Incident", "Location", "Ward", "Borough")
    )
    assert (tmp_path / "rejects.csv").exists() == bool(summary.total_rejected)


def test_graphvc_load_bulk_builds_the_online_graph_of_a_city_and_is_audited(
    driver: neo4j.Driver, bulk_server: Settings, city: Path, tmp_path: Path
) -> None:
    online = _online(driver, city)
    wipe(driver)
    env = _managed_env(bulk_server, tmp_path)
    result = CliRunner().invoke(
        cli, ["load", str(city), "--bulk", "--json", "--rejects", str(tmp_path / "r.csv")], env=env
    )
    assert result.exit_code == 0, result.output
    forget_bookmarks(driver)  # the command replaced the store this driver had seen
    summary = json.loads(result.stdout.splitlines()[-1])
    assert summary["graph_changes"]["relationships_created"] == sum(
        count for name, count in graph_counts(driver).items() if name.isupper()
    )
    assert describe(driver) == online
    event = audit.events(tmp_path / "audit").to_dict(orient="records")[-1]
    assert event["action"] == "load" and event["what"] == {"folder": str(city), "bulk": True}
    assert not list(bulk_server.home.glob("bulk-import-*")), "the import files are removed"


def test_load_police_uk_bulk_builds_the_online_graph_of_a_month(
    driver: neo4j.Driver, bulk_server: Settings, reference_source: Path, tmp_path: Path
) -> None:
    month = reference_source / "police_uk_city_of_london" / "2024-01-city-of-london-street.csv"
    geography = reference_source / "london_geography"
    lookup = [
        "--lookup",
        str(geography / "london_lsoa11_ward19_borough19.csv"),
        "--centroids",
        str(geography / "london_lsoa11_centroids.csv"),
    ]
    env = _managed_env(bulk_server, tmp_path)
    wipe(driver)
    apply_schema(driver)
    online = CliRunner().invoke(cli, ["load-police-uk", str(month), *lookup, "--json"], env=env)
    assert online.exit_code == 0, online.output
    expected = describe(driver)
    wipe(driver)
    bulk = CliRunner().invoke(
        cli, ["load-police-uk", str(month), *lookup, "--json", "--bulk"], env=env
    )
    assert bulk.exit_code == 0, bulk.output
    forget_bookmarks(driver)
    assert describe(driver) == expected
    assert json.loads(bulk.stdout)["police_uk"] == json.loads(online.stdout)["police_uk"]


def test_bulk_refuses_a_database_that_holds_nodes(
    driver: neo4j.Driver, bulk_server: Settings, tmp_path: Path
) -> None:
    wipe(driver)
    load_folder(driver, SMALL)
    with pytest.raises(
        BulkLoadError, match=r"only into an empty database, and 'neo4j' at .* holds"
    ):
        check_bulk_allowed(driver, bulk_server)
    env = {
        "NEO4J_URI": None,
        "NEO4J_PASSWORD": bulk_server.neo4j_password,
        "GRAPHVC_HOME": str(bulk_server.home),
        "GRAPHVC_NEO4J_BOLT_PORT": str(bulk_server.bolt_port),
        "GRAPHVC_AUDIT_DIR": str(tmp_path / "audit"),
    }
    before = graph_counts(driver)
    result = CliRunner().invoke(cli, ["load", str(SMALL), "--bulk"], env=env)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "holds nodes" in result.stderr
    assert graph_counts(driver) == before
    assert localserver.status(bulk_server).running


def test_bulk_refuses_a_server_it_does_not_manage(
    driver: neo4j.Driver, bulk_server: Settings, tmp_path: Path
) -> None:
    env = {
        "NEO4J_URI": bulk_server.uri,
        "NEO4J_PASSWORD": bulk_server.neo4j_password,
        "GRAPHVC_AUDIT_DIR": str(tmp_path / "audit"),
    }
    result = CliRunner().invoke(cli, ["load", str(SMALL), "--bulk"], env=env)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert f"NEO4J_URI={bulk_server.uri!r} is set" in result.stderr
    managed_elsewhere = replace(bulk_server, home=tmp_path / "another-home")
    with pytest.raises(BulkLoadError, match="was not started from GRAPHVC_HOME="):
        check_bulk_allowed(driver, managed_elsewhere)
