"""A person's list history (the reports that listed them, with ``listed_since`` and
``review_by``) and who has looked them up (the audit trail).

The list history is read from the report folder, as :mod:`graphvc.reports.review` reads it:
each complete report's ``offenders.csv``. A pseudonymised report names the person by their
pseudonym, found with the key when it is given.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from graphvc import audit
from graphvc.reports import list_reports
from graphvc.reports.pseudonyms import pseudonym

__all__ = ["HISTORY_COLUMNS", "LOOKUP_COLUMNS", "list_history", "lookups"]

#: The columns of :func:`list_history`.
HISTORY_COLUMNS = ["report_as_of", "report", "rank", "priority", "listed_since", "review_by"]
#: The columns of :func:`lookups`.
LOOKUP_COLUMNS = ["at", "user", "action", "source"]


def list_history(reports_dir: Path, person_id: str, *, key: str | None = None) -> pd.DataFrame:
    """Every complete report in ``reports_dir`` that listed ``person_id``, newest first:
    its date (``report_as_of``), kind, the person's ``rank`` and ``priority`` there, and
    ``listed_since`` and ``review_by`` where the report has them.

    A pseudonymised report is searched for the person's pseudonym under ``key``, and skipped
    without one.
    """
    reports = list_reports(reports_dir)
    rows = []
    for report in reports.to_dict("records"):
        path = Path(report["path"]) / "offenders.csv"
        if not path.is_file():
            continue
        pseudonymised = bool(report["pseudonymised"])
        if pseudonymised and key is None:
            continue
        wanted = pseudonym(person_id, key) if pseudonymised and key else person_id
        listed = pd.read_csv(
            path,
            usecols=lambda c: c in ("person_id", *HISTORY_COLUMNS),
            dtype={"person_id": "string", "listed_since": "string", "review_by": "string"},
        )
        found = listed[listed["person_id"] == wanted]
        if found.empty:
            continue
        row = found.iloc[0]
        rows.append(
            {
                "report_as_of": report["as_of"],
                "report": report["report"],
                **{c: row.get(c) for c in HISTORY_COLUMNS[2:]},
            }
        )
    return pd.DataFrame(rows, columns=HISTORY_COLUMNS)


def lookups(audit_dir: Path, person_id: str) -> pd.DataFrame:
    """Who looked ``person_id`` up, listed, reported or exported them, newest first: when,
    who, the action and from where (:func:`graphvc.audit.events`)."""
    found = audit.events(audit_dir, person=person_id)
    return found[LOOKUP_COLUMNS].iloc[::-1].reset_index(drop=True)
