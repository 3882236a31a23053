"""Audit trail (admin): is the trail intact, and who looked at whom, ran what, wrote what."""

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from graphvc import audit
from graphvc.app import data
from graphvc.app.access import audited, audited_export, guarded, require_page
from graphvc.app.widgets import window
from graphvc.display import plain_table
from graphvc.files import csv_text

__all__ = ["main", "readable", "readable_events"]


def readable(value: Any) -> str:
    """An event's ``what`` (or ``person_ids``) as a reader reads it: ``key: value`` pairs
    joined by ``; `` (lists joined by commas, nested records in brackets, blanks left out),
    not JSON.

    Examples
    --------
    >>> readable({"query": "people/top", "parameters": {"top": 10}, "rows": 3, "note": None})
    'query: people/top; parameters: (top: 10); rows: 3'
    >>> readable(["P1", "P2"]), readable([]), readable(None)
    ('P1, P2', '', '')
    """
    if value is None:
        return ""
    if isinstance(value, Mapping):
        pairs = []
        for key, item in value.items():
            text = readable(item)
            if text:
                nested = isinstance(item, Mapping)
                pairs.append(f"{key}: ({text})" if nested else f"{key}: {text}")
        return "; ".join(pairs)
    if isinstance(value, list | tuple):
        return ", ".join(readable(item) for item in value)
    return str(value)


def readable_events(found: pd.DataFrame) -> pd.DataFrame:
    """The trail's events as the page shows them: ``what`` and ``person_ids`` as text."""
    return found.assign(
        what=found["what"].map(readable), person_ids=found["person_ids"].map(readable)
    )


def verdict(folder: Path) -> None:
    """Whether the trail in ``folder`` is intact, and its head hash to keep elsewhere."""
    checked = guarded(lambda: audit.verify(folder))
    if checked.ok:
        st.success(
            f"{checked.lines:,} events in {folder / audit.AUDIT_FILE}, intact. Head hash "
            f"`{checked.head}`: keep it elsewhere (a ticket, a log server) as an anchor.",
            icon=":material/verified:",
        )
    else:
        st.error(
            f"The trail is broken at line {checked.broken_line}: {checked.reason}. "
            "Keep the file as it is and report it.",
            icon=":material/gpp_bad:",
        )


def main() -> None:
    """The trail's verdict, then its events filtered by person, user and day, newest first."""
    require_page("audit")
    st.title("Audit trail")
    folder = data.settings().audit_dir
    # The verdict is drawn above the filters but made after this view is recorded, so the
    # banner counts the same events as the table below it.
    banner = st.container()
    left, middle, right = st.columns(3)
    person = left.text_input("Person id", help="Who looked at this person?").strip() or None
    user = middle.text_input("User").strip() or None
    since = right.date_input("Since", value=None)
    start, _ = window(since, None)
    audited(
        "audit.view",
        person_ids=[person] if person else [],
        what={"person": person, "user": user, "since": str(since) if since else None},
    )
    with banner:
        verdict(folder)
    found = guarded(lambda: audit.events(folder, person=person, user=user, since=start))
    st.caption(f"{len(found):,} events, newest first.")
    newest_first = found.iloc[::-1]
    st.dataframe(plain_table(readable_events(newest_first)), hide_index=True, width="stretch")
    if len(found):
        st.download_button(
            "Download (CSV)",
            audited_export(
                lambda: csv_text(newest_first, index=False),
                person_ids=sorted({p for ids in found["person_ids"] for p in ids}),
                what={"file": "audit.csv", "rows": len(found)},
            ),
            "audit.csv",
            "text/csv",
            on_click="ignore",
        )


if __name__ == "__main__":
    main()
