"""Alerts: what the signed-in analyst's watches found, newest first; each confirmed (with a
case note) or dismissed (with a reason), the decision recorded on the alert and in the audit
trail; each id an alert names opens its profile or the explorer."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from graphvc.app import data
from graphvc.app.access import attempted, audited, guarded, require_page
from graphvc.app.watch_this import decide
from graphvc.app.ways_in import open_explorer, open_person
from graphvc.app.widgets import paged, plain
from graphvc.display import MISSING
from graphvc.queries import persons_among
from graphvc.watches import STATUSES, Alert, list_alerts

__all__ = ["alerts_table", "main"]

#: The most ids of one alert offered as ways in (an alert may name many).
WAYS_IN = 12
#: The message of the last decision, shown once after the page redraws with it.
DECIDED = "alerts_decided"


def alerts_table(alerts: Sequence[Alert]) -> pd.DataFrame:
    """The alerts as the page lists them, in their order: when found, by which watch, what it
    found and whom or what it names, its status and the decision (who, when, the case note
    or reason).

    >>> from datetime import datetime, UTC
    >>> found = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    >>> alert = Alert("a1", "repeat-da", "app:ana", found, ["I3", "P4"], "P4: third incident",
    ...               "new", None, None, None)
    >>> alerts_table([alert]).iloc[0].to_dict()["names"]
    'I3, P4'
    """
    return pd.DataFrame(
        {
            "found_at": pd.to_datetime([a.found_at for a in alerts], utc=True),
            "watch": [a.watch for a in alerts],
            "summary": [a.summary for a in alerts],
            "names": [", ".join(a.ids) for a in alerts],
            "status": [a.status for a in alerts],
            "decided_by": [a.decided_by for a in alerts],
            "decided_at": pd.to_datetime(
                pd.Series([a.decided_at for a in alerts], dtype=object), utc=True
            ),
            "case_note_or_reason": [a.reason for a in alerts],
        }
    )


def _label(alert: Alert) -> str:
    found = pd.Timestamp(alert.found_at).strftime("%Y-%m-%d %H:%M")
    summary = alert.summary or MISSING
    if not summary.startswith(alert.watch):  # a summary names its watch first, or not at all
        summary = f"{alert.watch} · {summary}"
    return f"{found} · {summary} ({alert.status})"


def ways_in(alert: Alert, persons: Sequence[str]) -> None:
    """A button for each id ``alert`` names (the first :data:`WAYS_IN`): a person's opens
    their profile, any other the explorer centred on it."""
    shown = alert.ids[:WAYS_IN]
    if not shown:
        return
    st.caption(
        "What it names: a person opens their profile, anything else the network explorer."
        + (f" The first {WAYS_IN} of {len(alert.ids)}." if len(alert.ids) > WAYS_IN else "")
    )
    for column, node_id in zip(st.columns(min(len(shown), 6)) * 2, shown, strict=False):
        person = node_id in persons
        icon = ":material/person_search:" if person else ":material/hub:"
        if column.button(node_id, key=f"open_{alert.id}_{node_id}", icon=icon):
            if person:
                open_person(node_id)
            else:
                open_explorer(node_id)


def decision_forms(alert: Alert) -> None:
    """Confirm ``alert`` with a case note, or dismiss it with a reason; the page redraws
    with the decision."""
    confirm, dismiss = st.columns(2)
    with confirm.form(f"confirm_{alert.id}"):
        note = st.text_area("Case note", key=f"note_{alert.id}", help="Recorded with the decision.")
        confirmed = st.form_submit_button("Confirm", type="primary", icon=":material/task_alt:")
    with dismiss.form(f"dismiss_{alert.id}"):
        reason = st.text_input("Reason for dismissing", key=f"reason_{alert.id}")
        dismissed = st.form_submit_button("Dismiss", icon=":material/block:")
    if confirmed:
        decision, why = "confirmed", note.strip() or None
    elif dismissed:
        if not reason.strip():
            st.error("Say why the alert is dismissed.")
            return
        decision, why = "dismissed", reason.strip()
    else:
        return
    if attempted(lambda: decide(alert, decision, why)) is not None:
        st.session_state[DECIDED] = f"Alert of {alert.watch} {decision}."
        st.rerun()


def main() -> None:
    """List the user's alerts, newest first, then decide one and open what it names."""
    user = require_page("alerts")
    st.title("Alerts")
    st.caption(
        "What your watches found, newest first. A watch is saved with “Watch this” on a "
        "Cypher result or an explorer view (or `graphvc watch add`); `graphvc watch run` "
        "raises an alert for each new row it finds."
    )
    if DECIDED in st.session_state:
        st.success(st.session_state.pop(DECIDED), icon=":material/check:")
    settings = data.settings()
    alerts = guarded(
        lambda: list_alerts(data.driver(), user.name, database=settings.neo4j_database)
    )
    if not alerts:
        st.info("No alerts: none of your watches has found anything new.", icon=":material/info:")
        st.stop()
    named = guarded(
        lambda: persons_among(
            data.driver(), (i for a in alerts for i in a.ids), database=settings.neo4j_database
        )
    )
    audited("alerts.list", person_ids=named, what={"alerts": len(alerts)})
    statuses = st.pills(
        "Status", STATUSES, selection_mode="multi", default=list(STATUSES), key="statuses"
    )
    listed = [a for a in alerts if a.status in statuses]
    st.caption(f"{len(listed):,} of {len(alerts):,} alerts")
    if not listed:
        st.stop()
    plain(paged(alerts_table(listed), key="alerts_page"), key="alerts")
    st.subheader("Decide")
    by_id = {a.id: a for a in listed}
    first_new = next((i for i, a in enumerate(listed) if a.status == "new"), 0)
    chosen = by_id[
        st.selectbox("Alert", list(by_id), index=first_new, format_func=lambda i: _label(by_id[i]))
    ]
    ways_in(chosen, named)
    decision_forms(chosen)


if __name__ == "__main__":
    main()
