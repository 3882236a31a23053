"""Audit trail (admin): is the trail intact, and who looked at whom, ran what, wrote what."""

from datetime import datetime, time

import streamlit as st

from graphvc import audit
from graphvc.app.common import LONDON, audited, audited_export, guarded, require_page, settings
from graphvc.files import csv_text

require_page("audit")

st.title("Audit trail")
folder = settings().audit_dir
verdict = guarded(lambda: audit.verify(folder))
if verdict.ok:
    st.success(
        f"{verdict.lines:,} events in {folder / audit.AUDIT_FILE}, intact. Head hash "
        f"`{verdict.head}`: keep it elsewhere (a ticket, a log server) as an anchor.",
        icon=":material/verified:",
    )
else:
    st.error(
        f"The trail is broken at line {verdict.broken_line}: {verdict.reason}. "
        "Keep the file as it is and report it.",
        icon=":material/gpp_bad:",
    )

left, middle, right = st.columns(3)
person = left.text_input("Person id", help="Who looked at this person?").strip() or None
user = middle.text_input("User").strip() or None
since = right.date_input("Since", value=None)
start = datetime.combine(since, time(), LONDON) if since else None
audited("audit.view", person_ids=[person] if person else [],
        what={"person": person, "user": user, "since": str(since) if since else None})  # fmt: skip
found = guarded(lambda: audit.events(folder, person=person, user=user, since=start))
st.caption(f"{len(found):,} events, newest first.")
newest_first = found.iloc[::-1]
st.dataframe(newest_first, hide_index=True, width="stretch")
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
