"""Watches and alerts on the served small graph, for the app's tests: the graph without
any (:func:`no_watches`), and one alert raised the way ``graphvc watch run`` raises it
(:func:`one_alert`): a watch on P1's co-offenders (P2, P3 and P6 at one step: ``test_app``)
run once (its baseline), then again after P1 and P9 offend together in a new incident,
alerts on the one new co-offender, P9.

A test module using them has ``served`` (``tests.integration.test_app``) among its fixtures.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import neo4j
import pytest

from graphvc.audit import system_user
from graphvc.db import run_query
from graphvc.watches import Alert, add_watch, list_alerts, run_watches

__all__ = ["NEW_INCIDENT", "OWNER", "forget_watches", "no_watches", "one_alert", "watch_nodes"]

#: The local user the app serves without sign-in: every watch's owner here.
OWNER = f"app:{system_user()}"
#: The watch the alerts come from, and when it ran.
WATCHED = {"person_id": "P1", "hops": 1}
FIRST_RUN = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SECOND_RUN = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
#: P1 and P9 (no offending before: test_app) offend together in a new incident at L1.
NEW_INCIDENT = """
MATCH (p1:Person {id: 'P1'}), (p9:Person {id: 'P9'}), (l:Location {id: 'L1'})
CREATE (i:Incident {id: 'I99', occurred_at: datetime('2025-01-02T22:00:00Z'),
                    offence: 'violence_with_injury', category: 'alcohol_related'})
CREATE (p1)-[:OFFENDER_IN]->(i), (p9)-[:OFFENDER_IN]->(i), (i)-[:OCCURRED_AT]->(l)
"""


def forget_watches(driver: neo4j.Driver) -> None:
    run_query(driver, "MATCH (n) WHERE n:Watch OR n:Alert DETACH DELETE n", {}, write=True)


def watch_nodes(driver: neo4j.Driver) -> int:
    found = run_query(driver, "MATCH (n) WHERE n:Watch OR n:Alert RETURN count(n) AS n", {})
    return int(found.at[0, "n"])


@pytest.fixture
def no_watches(served: object, empty_graph: neo4j.Driver) -> Iterator[neo4j.Driver]:
    """The served graph without watches or alerts, before and after the test; the new
    incident removed after it."""
    forget_watches(empty_graph)
    yield empty_graph
    forget_watches(empty_graph)
    run_query(empty_graph, "MATCH (i:Incident {id: 'I99'}) DETACH DELETE i", {}, write=True)


@pytest.fixture
def one_alert(no_watches: neo4j.Driver) -> Alert:
    """The alert on P9, raised as ``graphvc watch run`` raises it."""
    driver = no_watches
    add_watch(driver, owner=OWNER, name="p1-co-offenders", query="co_offenders", parameters=WATCHED)
    run_watches(driver, now=FIRST_RUN)
    before = list_alerts(driver, OWNER)
    run_query(driver, NEW_INCIDENT, {}, write=True)
    run_watches(driver, now=SECOND_RUN)
    new = [a for a in list_alerts(driver, OWNER) if a not in before]
    assert len(new) == 1 and "P9" in new[0].ids, new
    return new[0]
