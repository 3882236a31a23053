"""The one seam through which graphvc runs Cypher.

Library code takes a :class:`neo4j.Driver` (and a database name) and never creates one; only
the CLI, the app and the test fixtures call :func:`connect`. Reads go to read transactions
(``RoutingControl.READ``), so a cluster routes them to a reader and the server itself refuses
any write they attempt. Values always travel as ``$parameters``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, cast

import neo4j
import pandas as pd
from neo4j.exceptions import (
    AuthError,
    ClientError,
    Neo4jError,
    ServiceUnavailable,
    TransientError,
)

from graphvc.config import Settings
from graphvc.errors import DatabaseError, QueryError
from graphvc.model import quote_label

__all__ = [
    "connect",
    "cypher_dir",
    "explain",
    "forget_bookmarks",
    "read_cypher",
    "run_autocommit",
    "run_in_one_transaction",
    "run_query",
    "run_write",
    "server_version",
    "split_statements",
]


def connect(settings: Settings) -> neo4j.Driver:
    """Open a driver for ``settings`` and check that the server answers.

    Raises :class:`DatabaseError` with the URI when it does not.
    """
    # Server notifications (unknown labels on an empty graph, deprecations) are for query
    # authors, not for analysts reading the CLI or the app.
    driver = neo4j.GraphDatabase.driver(
        settings.uri, auth=settings.auth, notifications_min_severity="OFF"
    )
    try:
        driver.verify_connectivity()
    except AuthError as e:
        driver.close()
        raise DatabaseError(
            f"Neo4j at {settings.uri} refused user {settings.neo4j_username!r}: check NEO4J_PASSWORD"
        ) from e
    except (ServiceUnavailable, OSError, Neo4jError) as e:
        driver.close()
        raise DatabaseError(f"Neo4j at {settings.uri} is unreachable: {e}") from e
    return driver


def cypher_dir() -> Path:
    """The folder of graphvc's Cypher files (``cypher/`` in a checkout, bundled in a wheel)."""
    package = Path(__file__).resolve().parent
    for candidate in (package / "_cypher", package.parent / "cypher"):
        if candidate.is_dir():
            return candidate
    raise QueryError(f"graphvc's cypher/ folder is missing beside {package}")


#: A label or relationship type to fill in: ``{{NAME}}`` (not Cypher, so a missed one fails).
_PLACEHOLDER = re.compile(r"\{\{([A-Z][A-Z_]*)\}\}")


def read_cypher(name: str, labels: Mapping[str, str] | None = None) -> str:
    """The text of ``cypher/<name>.cypher``, its ``{{PLACEHOLDER}}`` s filled from ``labels``.

    Labels and relationship types cannot be Cypher parameters; a file that needs one names it
    ``{{PLACEHOLDER}}``, and each is filled with a label or type of the graph model (checked
    against its allow-list, then backticked by :func:`graphvc.model.quote_label`). Every
    placeholder must be given, and nothing else.

    Examples
    --------
    >>> print(read_cypher("load/existing_ids", labels={"NODE": "Person"}).splitlines()[-2])
    MATCH (n:`Person` {id: id})
    >>> read_cypher("load/existing_ids", labels={"NODE": "Person) DETACH DELETE (n"})
    Traceback (most recent call last):
    ...
    graphvc.errors.QueryError: 'Person) DETACH DELETE (n' is not a label or relationship type of the graph model
    """
    path = cypher_dir() / f"{name}.cypher"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise QueryError(f"no Cypher file {path.name!r} in {path.parent}") from None
    given = dict(labels or {})
    wanted = set(_PLACEHOLDER.findall(text))
    if wanted != set(given):
        raise QueryError(
            f"cypher/{name}.cypher fills {sorted(wanted) or 'no placeholders'}, "
            f"not {sorted(given) or 'none'}"
        )
    quoted = {placeholder: quote_label(label) for placeholder, label in given.items()}
    return _PLACEHOLDER.sub(lambda match: quoted[match.group(1)], text)


def split_statements(text: str) -> list[str]:
    """Split a Cypher script on ``;`` at line ends, dropping ``//`` comment lines."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("//")]
    statements = re.split(r";[ \t]*$", "\n".join(lines), flags=re.MULTILINE)
    return [statement.strip() for statement in statements if statement.strip()]


def _query(text: str, timeout: float | None) -> neo4j.Query:
    return neo4j.Query(cast(Any, text), timeout=timeout)


def run_query(
    driver: neo4j.Driver,
    query: str,
    parameters: Mapping[str, Any] | None = None,
    *,
    database: str = "neo4j",
    timeout: float | None = None,
    write: bool = False,
) -> pd.DataFrame:
    """Run one Cypher statement and return its records as a DataFrame.

    Parameters
    ----------
    driver : neo4j.Driver
    query : str
        Cypher text; every value must be a ``$parameter``.
    parameters : mapping, optional
        Values for the query's parameters.
    database : str
        Database name.
    timeout : float, optional
        Transaction timeout in seconds. With one, the query runs once: the driver's retries
        of "transient" failures (out of memory, for one) would let it run for many times its
        timeout, so a failure is reported instead.
    write : bool
        Run in a write transaction. Default is a read transaction, in which the server
        refuses to write.
    """
    routing = neo4j.RoutingControl.WRITE if write else neo4j.RoutingControl.READ
    try:
        if timeout is not None:
            return _run_once(driver, query, parameters, database, timeout, write)
        return driver.execute_query(
            _query(query, timeout),
            dict(parameters or {}),
            database_=database,
            routing_=routing,
            result_transformer_=neo4j.Result.to_df,
        )
    except ServiceUnavailable as e:
        raise DatabaseError(f"Neo4j is unreachable: {e}") from e
    except TransientError as e:
        if timeout is None:
            raise DatabaseError(f"Neo4j failed the query: {e.message}") from e
        raise QueryError(
            f"the query failed on the server and was stopped, not retried: {e.message}"
        ) from e
    except ClientError as e:
        if e.code and ("AccessMode" in e.code or "ForbiddenOnReadOnly" in e.code):
            raise QueryError(
                f"refused: the query tries to write in a read-only session ({e.message})"
            ) from e
        if e.code and ("TransactionTimedOut" in e.code or "Terminated" in e.code):
            raise QueryError(f"the query ran past its {timeout}s timeout and was stopped") from e
        raise DatabaseError(f"Neo4j refused the query: {e.message}") from e
    except Neo4jError as e:
        raise DatabaseError(f"Neo4j failed the query: {e.message}") from e


def _run_once(
    driver: neo4j.Driver,
    query: str,
    parameters: Mapping[str, Any] | None,
    database: str,
    timeout: float,
    write: bool,
) -> pd.DataFrame:
    """Run ``query`` in one explicit transaction with the server-side ``timeout``: no retries."""
    mode = neo4j.WRITE_ACCESS if write else neo4j.READ_ACCESS
    with (
        driver.session(database=database, default_access_mode=mode) as session,
        session.begin_transaction(timeout=timeout) as transaction,
    ):
        frame = transaction.run(cast(Any, query), dict(parameters or {})).to_df()
        transaction.commit()
    return frame


def _operators(plan: Mapping[str, Any]) -> Iterator[str]:
    operator = str(plan.get("operatorType", "")).split("@")[0]
    if operator == "ProcedureCall":
        # Details reads "db.labels() :: (label :: STRING)": keep the procedure's name.
        operator += ":" + str(plan.get("args", {}).get("Details", "")).split("(")[0].strip()
    yield operator
    for child in plan.get("children", ()):
        yield from _operators(child)


def explain(
    driver: neo4j.Driver,
    query: str,
    parameters: Mapping[str, Any] | None = None,
    *,
    database: str = "neo4j",
) -> tuple[str, list[str]]:
    """Plan ``query`` without running it: its query type and the operators of its plan.

    The query type is Neo4j's: ``"r"`` (reads only), ``"rw"``, ``"w"`` or ``"s"`` (schema
    or system). Operators are listed depth first without their ``@database`` suffix; a
    procedure call is ``"ProcedureCall:<procedure name>"``. Nothing runs, so nothing is
    written, whatever the query says.
    """
    try:
        summary = driver.execute_query(
            _query(f"EXPLAIN {query}", None),
            dict(parameters or {}),
            database_=database,
            routing_=neo4j.RoutingControl.READ,
            result_transformer_=neo4j.Result.consume,
        )
    except ServiceUnavailable as e:
        raise DatabaseError(f"Neo4j is unreachable: {e}") from e
    except Neo4jError as e:
        raise QueryError(f"Neo4j cannot plan the query: {e.message}") from e
    return str(summary.query_type), list(_operators(summary.plan or {}))


def _batches(rows: Iterable[Mapping[str, Any]], size: int) -> Iterator[list[Mapping[str, Any]]]:
    batch: list[Mapping[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def run_write(
    driver: neo4j.Driver,
    query: str,
    rows: Sequence[Mapping[str, Any]] | Iterable[Mapping[str, Any]],
    *,
    parameters: Mapping[str, Any] | None = None,
    database: str = "neo4j",
    batch_size: int = 5000,
    on_batch: Any = None,
) -> dict[str, int]:
    """Run ``UNWIND $rows AS row ...`` over ``rows`` in batches, one transaction each.

    Every batch is all-or-nothing (a managed transaction, retried by the driver on transient
    errors). ``parameters`` go with every batch beside ``$rows``. Returns the summed update
    counters. ``on_batch(n)`` is called after each batch
    with its row count, for progress bars.
    """
    totals: dict[str, int] = {}
    try:
        for batch in _batches(rows, batch_size):
            summary = driver.execute_query(
                _query(query, None),
                {**(parameters or {}), "rows": batch},
                database_=database,
                routing_=neo4j.RoutingControl.WRITE,
                result_transformer_=neo4j.Result.consume,
            )
            for key, value in vars(summary.counters).items():
                if isinstance(value, int) and not isinstance(value, bool):
                    totals[key] = totals.get(key, 0) + value
            if on_batch is not None:
                on_batch(len(batch))
    except ServiceUnavailable as e:
        raise DatabaseError(f"Neo4j is unreachable: {e}") from e
    except Neo4jError as e:
        raise DatabaseError(f"Neo4j failed a write batch: {e.message}") from e
    return totals


def run_autocommit(
    driver: neo4j.Driver,
    query: str,
    parameters: Mapping[str, Any] | None = None,
    *,
    database: str = "neo4j",
) -> dict[str, int]:
    """Run one statement in an auto-commit transaction (needed by ``CALL {...} IN TRANSACTIONS``).

    Returns the update counters.
    """
    try:
        with driver.session(database=database, default_access_mode=neo4j.WRITE_ACCESS) as session:
            summary = session.run(_query(query, None), dict(parameters or {})).consume()
    except ServiceUnavailable as e:
        raise DatabaseError(f"Neo4j is unreachable: {e}") from e
    except Neo4jError as e:
        raise DatabaseError(f"Neo4j failed the statement: {e.message}") from e
    return {
        k: v
        for k, v in vars(summary.counters).items()
        if isinstance(v, int) and not isinstance(v, bool)
    }


def run_in_one_transaction(
    driver: neo4j.Driver, statements: Sequence[str], *, database: str = "neo4j"
) -> None:
    """Run ``statements`` in one write transaction, committed together (schema commands, which
    Neo4j acts on at commit: indexes created together are populated together)."""
    try:
        with (
            driver.session(database=database, default_access_mode=neo4j.WRITE_ACCESS) as session,
            session.begin_transaction() as transaction,
        ):
            for statement in statements:
                transaction.run(cast(Any, statement)).consume()
            transaction.commit()
    except ServiceUnavailable as e:
        raise DatabaseError(f"Neo4j is unreachable: {e}") from e
    except Neo4jError as e:
        raise DatabaseError(f"Neo4j failed the statements: {e.message}") from e


def forget_bookmarks(driver: neo4j.Driver, database: str = "neo4j") -> None:
    """Forget the transactions ``driver`` has seen, after the database was replaced offline.

    :func:`run_query` and :func:`run_write` chain their transactions by bookmark (so a read
    on a cluster sees the writes before it); a store rebuilt by the offline importer starts
    its transaction ids again, and would make the next query wait for a transaction it never
    had. The bookmarks are replaced by the new store's latest.
    """
    try:
        with driver.session(database=database, default_access_mode=neo4j.READ_ACCESS) as session:
            session.run("RETURN 1").consume()
            fresh = session.last_bookmarks().raw_values
    except ServiceUnavailable as e:
        raise DatabaseError(f"Neo4j is unreachable: {e}") from e
    manager = driver.execute_query_bookmark_manager
    manager.update_bookmarks(manager.get_bookmarks(), fresh)


def server_version(driver: neo4j.Driver, database: str = "neo4j") -> dict[str, str]:
    """Name, version and edition of the server, from ``dbms.components()``."""
    df = run_query(
        driver,
        "CALL dbms.components() YIELD name, versions, edition "
        "RETURN name, versions[0] AS version, edition",
        database=database,
    )
    row = df.iloc[0]
    return {
        "name": str(row["name"]),
        "version": str(row["version"]),
        "edition": str(row["edition"]),
    }
