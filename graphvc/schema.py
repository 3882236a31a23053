"""Apply ``cypher/schema.cypher`` and count what the graph holds."""

from __future__ import annotations

import neo4j

from graphvc.db import (
    read_cypher,
    run_autocommit,
    run_in_one_transaction,
    run_query,
    split_statements,
)
from graphvc.model import NODE_LABELS, RELATIONSHIP_TYPES, quote_label

__all__ = ["apply_schema", "graph_counts", "wipe"]


def apply_schema(driver: neo4j.Driver, database: str = "neo4j") -> int:
    """Create the constraints and indexes of the graph model if they do not exist.

    Idempotent. Waits until every index is online. Returns the number of statements run.

    The lookup indexes are created first, in one transaction: Neo4j populates indexes created
    together in one pass over the store, in the background, while each uniqueness constraint
    (whose statement returns only once its own index is built and checked) is created. On a
    full store (after a bulk load) that overlaps the index builds instead of queueing them.
    """
    statements = split_statements(read_cypher("schema"))
    constraints = [statement for statement in statements if _is_constraint(statement)]
    run_in_one_transaction(
        driver,
        [statement for statement in statements if not _is_constraint(statement)],
        database=database,
    )
    for statement in constraints:
        run_query(driver, statement, database=database, write=True)
    run_query(driver, "CALL db.awaitIndexes(300)", database=database, write=True)
    return len(statements)


def _is_constraint(statement: str) -> bool:
    return statement.upper().startswith("CREATE CONSTRAINT")


def graph_counts(driver: neo4j.Driver, database: str = "neo4j") -> dict[str, int]:
    """Nodes per label and relationships per type of the graph model (from the count store)."""
    parts = [
        f"MATCH (:{quote_label(label)}) WITH count(*) AS count RETURN $label_{i} AS name, count"
        for i, label in enumerate(NODE_LABELS)
    ]
    parts += [
        f"MATCH ()-[:{quote_label(rel)}]->() WITH count(*) AS count RETURN $rel_{i} AS name, count"
        for i, rel in enumerate(RELATIONSHIP_TYPES)
    ]
    names = {f"label_{i}": label for i, label in enumerate(NODE_LABELS)}
    names |= {f"rel_{i}": rel for i, rel in enumerate(RELATIONSHIP_TYPES)}
    counts = run_query(driver, "\nUNION ALL\n".join(parts), names, database=database)
    return {
        str(name): int(count) for name, count in zip(counts["name"], counts["count"], strict=True)
    }


def wipe(driver: neo4j.Driver, database: str = "neo4j") -> None:
    """Delete every node and relationship, in batches (for tests and demo rebuilds).

    Relationships go first, then the bare nodes: a batch of nodes detached at once would carry
    every relationship of a busy place or person in one transaction, which on a
    million-incident graph exceeds the server's transaction memory.
    """
    for statement in (
        "MATCH ()-[r]->() CALL { WITH r DELETE r } IN TRANSACTIONS OF 50000 ROWS",
        "MATCH (n) CALL { WITH n DELETE n } IN TRANSACTIONS OF 50000 ROWS",
    ):
        run_autocommit(driver, statement, database=database)
