"""The people a query run names, for the audit trail: its values that are persons' ids.

A query may take a person's id under any parameter name (``shortest_paths`` takes two,
``from_id`` and ``to_id``), and return persons' ids in any column, alone or in lists
(``node_ids``). So the values themselves are looked up: every string among them that is the id
of a person in the graph is a person the run named.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, cast

import neo4j
import pandas as pd

from graphvc.db import read_cypher, run_query

__all__ = ["persons_among", "persons_in_rows"]


def _strings(values: Iterable[Any]) -> Iterator[str]:
    for value in values:
        if isinstance(value, str):
            yield value
        elif isinstance(value, Mapping):
            yield from _strings(value.values())
        elif isinstance(value, (list, tuple)):
            yield from _strings(value)


def persons_among(
    driver: neo4j.Driver, values: Iterable[Any], *, database: str = "neo4j"
) -> list[str]:
    """Those of ``values`` (strings, or lists and maps holding them) that are the ids of
    persons in the graph, once each, in the order first given; one read of the graph."""
    candidates = list(dict.fromkeys(_strings(values)))
    if not candidates:
        return []
    found = run_query(
        driver, read_cypher("queries/person_ids"), {"ids": candidates}, database=database
    )
    known = set(cast(list[str], found.at[0, "ids"]))
    return [candidate for candidate in candidates if candidate in known]


def persons_in_rows(
    driver: neo4j.Driver, frame: pd.DataFrame, *, database: str = "neo4j"
) -> list[str]:
    """The persons whose ids a query's rows hold, in any column, in the order first met."""
    cells = (value for row in frame.itertuples(index=False) for value in row)
    return persons_among(driver, cells, database=database)
