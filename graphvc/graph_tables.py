"""Reading the graph back out as the input contract's tables.

The analysis never speaks to Neo4j: a run (:mod:`graphvc.runs`) reads the graph here, as the
contract's tables (:mod:`graphvc.contract`), and hands them to the pure measures of
:mod:`graphvc.analysis`. Each table is one read query (``cypher/analysis/``), in the order the
database returns; :func:`graphvc.runs.analyse` puts every table in the contract's canonical
order (:func:`canonical`) once, whoever made it, so the same graph always gives the same run.
No identifying column (a person's name) is read.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import neo4j
import pandas as pd

from graphvc.contract import LOCAL_TIME_ZONE, TABLES, read_columns
from graphvc.db import read_cypher, run_query

__all__ = ["canonical", "default_as_of", "latest_incident", "read_graph_tables"]


def canonical(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the columns of ``table`` as read from the graph, in the order of its key.

    Examples
    --------
    >>> frame = pd.DataFrame({"person_id": ["P2", "P1"], "age_band": ["18-24", "65+"]})
    >>> canonical("persons", frame)["person_id"].tolist()
    ['P1', 'P2']
    >>> list(canonical("persons", frame).columns)
    ['person_id', 'age_band', 'sex', 'ethnicity']
    """
    columns = read_columns(table)
    frame = frame.reindex(columns=columns)
    key = list(TABLES[table].key)
    return frame.sort_values(key, kind="stable", ignore_index=True)


def read_graph_tables(
    driver: neo4j.Driver,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    categories: list[str] | None = None,
    boroughs: list[str] | None = None,
    database: str = "neo4j",
) -> dict[str, pd.DataFrame]:
    """The graph as the input contract's tables, one read query each.

    Each query returns its table as one row of lists (``collect([...])``), which the driver
    decodes several times faster than one record per row (``bench/bench_read.py``).

    Incidents and involvements are filtered by the window ``[start, end)``, continuum
    categories and borough codes (``None``: no filter); persons, locations and associations
    are read whole. ``occurred_at`` comes back as London wall-clock time.
    """
    filters = {
        "start": start.isoformat() if start else None,
        "end": end.isoformat() if end else None,
        "categories": categories,
        "boroughs": boroughs,
    }
    tables = {}
    for table in TABLES:
        parameters = filters if table in ("incidents", "involvements") else {}
        rows = run_query(driver, read_cypher(f"analysis/{table}"), parameters, database=database)
        values: list[list[Any]] = rows["rows"].iloc[0]
        tables[table] = pd.DataFrame(values, columns=read_columns(table))
    return tables


def latest_incident(
    driver: neo4j.Driver, *, until: datetime | None = None, database: str = "neo4j"
) -> pd.Timestamp | None:
    """When the latest incident (up to ``until``, when given) occurred, London wall-clock time.

    None when there is none.
    """
    parameters = {"until": until.isoformat() if until else None}
    latest = run_query(
        driver, read_cypher("analysis/latest_incident"), parameters, database=database
    ).at[0, "latest"]
    if latest is None:
        return None
    moment = pd.Timestamp(str(latest).split("[")[0])
    return moment.tz_convert(LOCAL_TIME_ZONE).tz_localize(None)


def default_as_of(driver: neo4j.Driver, *, database: str = "neo4j") -> pd.Timestamp:
    """The day after the latest incident up to now (midnight, London time); else today.

    A graph of people and intelligence links alone has no incidents: its network is
    analysed as it stands today. An incident dated in the future is a mistake in the data
    (the loaders quarantine them, but a graph may be filled by other means): it does not move
    the default.
    """
    now = pd.Timestamp.now(tz=LOCAL_TIME_ZONE)
    latest = latest_incident(driver, until=now.to_pydatetime(), database=database)
    if latest is None:
        return now.tz_localize(None).normalize()
    return latest.normalize() + pd.Timedelta(days=1)
