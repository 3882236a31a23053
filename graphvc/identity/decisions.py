"""The analyst's decisions on two person records, and the reads of candidates and clusters.

A decision is a relationship between two Person nodes, from the lower id to the higher:
``SAME_AS {by, at}`` (confirmed: one person) or ``NOT_SAME_AS {by, at, reason}`` (rejected:
two people). :func:`decide_pair` is the one function that writes them, :func:`undo_decision`
the one that deletes them; each records an audit event first when given the audit folder, so
an action that cannot be audited is not taken. Nothing is merged in the graph: the records
stay as they were loaded, and a run counts each confirmed cluster as one person
(:func:`confirmed_clusters`, :mod:`graphvc.identity.merge`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import neo4j
import networkx as nx
import pandas as pd

from graphvc import audit
from graphvc.contract import LOCAL_TIME_ZONE
from graphvc.db import read_cypher, run_query
from graphvc.errors import DecisionError

__all__ = [
    "DECISIONS",
    "candidate_pairs",
    "confirmed_clusters",
    "decide_pair",
    "undo_decision",
]

#: A decision -> the relationship type that records it.
DECISIONS: dict[str, str] = {"confirmed": "SAME_AS", "rejected": "NOT_SAME_AS"}


def _ordered(a: str, b: str) -> tuple[str, str]:
    """The pair ``a``, ``b`` lower id first; :class:`DecisionError` when they are one id.

    >>> _ordered("P9", "P10")
    ('P10', 'P9')
    """
    a, b = str(a), str(b)
    if a == b:
        raise DecisionError(f"{a!r} and {b!r} are the same record: choose two records")
    return (a, b) if a < b else (b, a)


def decide_pair(
    driver: neo4j.Driver,
    a: str,
    b: str,
    decision: str,
    by: str,
    reason: str | None = None,
    *,
    audit_dir: Path | None = None,
    at: datetime | None = None,
    database: str = "neo4j",
) -> dict[str, Any]:
    """Record that person records ``a`` and ``b`` are one person (``decision`` "confirmed":
    ``SAME_AS``) or two (``"rejected"``: ``NOT_SAME_AS``, with its ``reason``), decided by
    ``by`` at ``at`` (default now).

    With ``audit_dir`` the decision is recorded in the audit trail there first (action
    ``identity.decide``), and not taken when it cannot be. A pair already decided is refused
    (undo its decision first), and so is a decision contradicting others: a confirmation
    that would put two records an analyst rejected into one cluster, or a rejection of two
    records already confirmed as one person through others.

    Returns the decision as recorded: ``person_a``, ``person_b`` (lower id first),
    ``decision``, ``by``, ``at`` (ISO) and ``reason``.

    Raises
    ------
    DecisionError
        An unknown decision, one record twice, no ``by``, a rejection without a reason, a
        pair already decided, a decision contradicting others, or a record missing from the
        graph.
    AuditError
        The audit event cannot be written (nothing is decided).
    """
    if decision not in DECISIONS:
        raise DecisionError(f"decision {decision!r} is not one of {', '.join(DECISIONS)}")
    person_a, person_b = _ordered(a, b)
    if not str(by or "").strip():
        raise DecisionError("a decision needs who took it (by)")
    reason = (reason or "").strip() or None
    if decision == "rejected" and reason is None:
        raise DecisionError(f"rejecting {person_a} / {person_b} needs a reason")
    _check_undecided(driver, person_a, person_b, database=database)
    _check_consistent(driver, person_a, person_b, decision, database=database)
    moment = (at or datetime.now(UTC)).isoformat()
    recorded = {
        "person_a": person_a,
        "person_b": person_b,
        "decision": decision,
        "by": by,
        "at": moment,
        "reason": reason,
    }
    if audit_dir is not None:
        audit.record(
            audit_dir,
            "identity.decide",
            user=by,
            person_ids=[person_a, person_b],
            what={k: v for k, v in recorded.items() if k not in ("by", "person_a", "person_b")},
        )
    written = run_query(
        driver,
        read_cypher("identity/decide"),
        {**recorded, "decision": DECISIONS[decision]},
        database=database,
        write=True,
    )
    if written.empty:
        raise DecisionError(f"no person record {person_a!r} or {person_b!r} in the graph")
    return recorded


def _check_undecided(driver: neo4j.Driver, person_a: str, person_b: str, *, database: str) -> None:
    """Raise :class:`DecisionError` when the pair has a decision already: it is undone first,
    so the audit trail reads decision, undo, decision."""
    found = candidate_pairs(driver, person_id=person_a, database=database)
    mine = found[(found["person_b"] == person_b) & found["decision"].notna()]
    if len(mine):
        earlier = mine.iloc[0]
        raise DecisionError(
            f"{person_a} / {person_b} was {earlier['decision']} by {earlier['decided_by']} at "
            f"{earlier['decided_at']:%Y-%m-%d %H:%M}: undo that decision first"
        )


def _check_consistent(
    driver: neo4j.Driver, person_a: str, person_b: str, decision: str, *, database: str
) -> None:
    """Raise :class:`DecisionError` when the decision contradicts others: a rejection of two
    records already in one confirmed cluster, or a confirmation joining two records (of the
    pair's clusters) that an analyst rejected as one person."""
    clusters = {m: c for c in confirmed_clusters(driver, database=database) for m in c}
    left, right = clusters.get(person_a, [person_a]), clusters.get(person_b, [person_b])
    if decision == "rejected":
        if person_b in left:
            raise DecisionError(
                f"{person_a} and {person_b} are one confirmed person ({';'.join(left)}): undo "
                "the confirmations that join them first"
            )
        return
    ids = sorted({*left, *right})
    found = run_query(driver, read_cypher("identity/conflicts"), {"ids": ids}, database=database)
    if len(found):
        row = found.iloc[0]
        raise DecisionError(
            f"{person_a} and {person_b} cannot be confirmed as one person: {row['by']} rejected "
            f"{row['person_a']} / {row['person_b']} ({row['reason']}); undo that rejection first"
        )


def undo_decision(
    driver: neo4j.Driver,
    a: str,
    b: str,
    by: str,
    *,
    audit_dir: Path | None = None,
    database: str = "neo4j",
) -> dict[str, Any]:
    """Delete the decision between person records ``a`` and ``b``, undone by ``by``: the two
    are candidates again (a confirmed cluster they joined splits where they were its only
    link).

    With ``audit_dir`` the undo is recorded in the audit trail there first (action
    ``identity.undo``). Returns what was undone: ``person_a``, ``person_b``, ``undone``
    (the decision, "confirmed" or "rejected"), ``by`` and the earlier decision's ``decided_by``
    and ``decided_at``.

    Raises :class:`DecisionError` when the two have no decision to undo (nothing is audited),
    :class:`AuditError` when the event cannot be written (nothing is undone).
    """
    person_a, person_b = _ordered(a, b)
    if not str(by or "").strip():
        raise DecisionError("undoing a decision needs who undid it (by)")
    pair = {"person_a": person_a, "person_b": person_b}
    existing = candidate_pairs(driver, person_id=person_a, database=database)
    mine = existing[(existing["person_b"] == person_b) | (existing["person_a"] == person_b)]
    if mine.empty or mine["decision"].isna().all():
        raise DecisionError(f"{person_a} / {person_b} have no decision to undo")
    earlier = mine.dropna(subset=["decision"]).iloc[0]
    undone = {
        **pair,
        "undone": earlier["decision"],
        "by": by,
        "decided_by": earlier["decided_by"],
        "decided_at": None if pd.isna(earlier["decided_at"]) else str(earlier["decided_at"]),
    }
    if audit_dir is not None:
        audit.record(
            audit_dir,
            "identity.undo",
            user=by,
            person_ids=[person_a, person_b],
            what={k: undone[k] for k in ("undone", "decided_by", "decided_at")},
        )
    run_query(driver, read_cypher("identity/undo"), pair, database=database, write=True)
    return undone


def confirmed_clusters(driver: neo4j.Driver, *, database: str = "neo4j") -> list[list[str]]:
    """The people the analysts confirmed: the connected components of ``SAME_AS`` (two
    records or more), each's member ids sorted, the clusters in the order of their lowest id.

    A cluster is transitive: confirming P1 = P2 and P2 = P3 makes P1, P2 and P3 one person.
    """
    pairs = run_query(driver, read_cypher("identity/same_as"), database=database)
    G = nx.Graph()
    G.add_edges_from(zip(pairs["person_a"], pairs["person_b"], strict=True))
    return sorted(sorted(map(str, c)) for c in nx.connected_components(G) if len(c) >= 2)


#: The columns of :func:`candidate_pairs`, in order.
CANDIDATE_COLUMNS = (
    "person_a",
    "person_b",
    "probability",
    "model",
    "run_at",
    "cluster",
    "evidence",
    "agreed",
    "decision",
    "decided_by",
    "decided_at",
    "reason",
    "name_a",
    "name_b",
    "date_of_birth_a",
    "date_of_birth_b",
    "postcode_a",
    "postcode_b",
    "pnc_id_a",
    "pnc_id_b",
)


def candidate_pairs(
    driver: neo4j.Driver, *, person_id: str | None = None, database: str = "neo4j"
) -> pd.DataFrame:
    """Every pair of person records that ``graphvc resolve`` proposed (``POSSIBLY_SAME_AS``)
    or an analyst decided, most probable first (``cypher/identity/candidates.cypher`` names
    the columns): the proposal's probability, evidence and agreed fields, the decision
    (``"confirmed"``, ``"rejected"`` or missing) and both records' identifying fields.
    ``person_id`` keeps only that person's pairs. The identifying fields are for the app
    alone: never exported or reported.
    """
    found = run_query(
        driver, read_cypher("identity/candidates"), {"person_id": person_id}, database=database
    )
    found = found.reindex(columns=list(CANDIDATE_COLUMNS))
    # Decided when, in London wall-clock time as every date-time graphvc shows.
    moments = pd.to_datetime(found["decided_at"], utc=True, format="ISO8601")
    return found.assign(decided_at=moments.dt.tz_convert(LOCAL_TIME_ZONE).dt.tz_localize(None))
