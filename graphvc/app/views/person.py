"""Person profile: where one person ranks in the stored run and why, in words built from the
run's own numbers, and beneath the words their incidents, co-offenders and links, victims,
risk assessments, places, list history and (for administrators) who has looked them up.

Opened by its address, ``/person?person=<person_id>`` (a link an analyst can share), from a
row of another page's table, or by picking a person here; each person opened is recorded once
per session as a lookup (``person.profile``) in the audit trail, before anything about them is
read. A user who sees people only under pseudonyms sees this profile pseudonymised.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from graphvc.app import data
from graphvc.app.access import audited, guarded, require_page
from graphvc.app.contagion_risk import contagion_section
from graphvc.app.identity_panel import identity_section
from graphvc.app.run_picker import stored_run
from graphvc.app.timeline import time_wheel
from graphvc.app.ways_in import open_explorer, plain_config, selectable
from graphvc.auth import User
from graphvc.display import plain_table
from graphvc.profile import (
    Profile,
    list_history,
    lookups,
    person_profile,
    profile_tables,
    profile_words,
    pseudonymised,
)
from graphvc.profile.tables import TABLE_TITLES
from graphvc.stored_runs import StoredRun

__all__ = ["PERSON_PARAMETER", "main"]

#: The URL parameter that names the person shown.
PERSON_PARAMETER = "person"
#: What a row of each table opens: the kind of view and the column holding its id.
ROWS_OPEN = {
    "incidents": ("explorer", "incident_id"),
    "co_offenders": ("person", "person_id"),
    "links": ("person", "person_id"),
    "victims": ("person", "person_id"),
    "places": ("place", "location_id"),
    "contacts": ("person", "person_id"),
}
#: The tables shown on each tab, in order.
TABS = {
    "Timeline": ("incidents",),
    "Co-offenders and links": ("co_offenders", "links", "contacts"),
    "Victims and victimisations": ("victims", "victimisations"),
    "Risk assessments": ("risk_assessments",),
    "Places": ("places",),
}


@st.cache_data(ttl=60, show_spinner=False)
def read_profile(run_id: str, person_id: str) -> Profile:
    """The profile of ``person_id`` in stored run ``run_id`` (:func:`person_profile`)."""
    run = next((r for r in data.stored_runs() if r.id == run_id), None)
    settings = data.settings()
    return person_profile(
        data.driver(),
        person_id,
        run=run,
        runs_dir=settings.runs_dir,
        database=settings.neo4j_database,
    )


def chosen_person(run: StoredRun) -> str | None:
    """The person named by ``?person=``, else the one picked or typed here (nobody by
    default: a lookup is what the user asks for, never a default)."""
    asked = st.query_params.get(PERSON_PARAMETER)
    if asked:
        return str(asked)
    ranked = guarded(lambda: data.run_table(run.id, "people", columns=("rank",)))
    ranks = {str(p): r for p, r in zip(ranked.index, ranked["rank"], strict=True) if pd.notna(r)}
    picked = st.selectbox(
        "Person",
        list(ranks),
        index=None,
        placeholder="Choose a person (in rank order) or type an id",
        accept_new_options=True,
        format_func=lambda p: f"{p} · rank {int(ranks[p]):,}" if p in ranks else p,
        key="profile_person",
    )
    if picked:
        st.query_params[PERSON_PARAMETER] = str(picked)
    return str(picked) if picked else None


def _shown_profile(user: User, run: StoredRun, person: str) -> Profile:
    """The profile as ``user`` may see it: pseudonymised for a user who sees pseudonyms."""
    profile = guarded(lambda: read_profile(run.id, person))
    if not user.pseudonymised:
        return profile
    key = data.settings().pseudonym_key
    if not key:
        st.error(
            "Your role sees people only under pseudonyms, and GRAPHVC_PSEUDONYM_KEY is not set.",
            icon=":material/lock:",
        )
        st.stop()
    return pseudonymised(profile, str(key))


def headline(profile: Profile, words: list[str], *, explorer: bool = True) -> None:
    """Who, the run's key numbers of them, and where they rank and why, in words; with
    ``explorer``, a way to the explorer centred on them."""
    st.subheader(f"Person {profile.person_id}")
    about = [
        f"{k.replace('_', ' ')} {v}" for k, v in profile.person.items() if v and k != "person_id"
    ]
    if about:
        st.caption(" · ".join(about))
    scores: Mapping[str, Any] = profile.scores or {}
    if scores:
        shown = [
            c
            for c in ("rank", "priority", "rfg_part", "betweenness_part", "harm_pagerank_part")
            if c in scores
        ]
        row = plain_table(pd.DataFrame([{c: scores[c] for c in shown}]))
        for column, (label, value) in zip(st.columns(len(shown)), row.iloc[0].items(), strict=True):
            column.metric(str(label), value)
    with st.container(border=True):
        for sentence in words:
            st.markdown(sentence)
    if explorer and st.button(
        f"Open {profile.person_id} in the network explorer", icon=":material/hub:"
    ):
        open_explorer(profile.person_id)


def _table(name: str, frame: pd.DataFrame, person: str) -> None:
    """One table under its title, in plain language; its rows open their views."""
    st.markdown(f"**{TABLE_TITLES.get(name, name)}** ({len(frame):,})")
    if frame.empty:
        st.caption("None recorded.")
        return
    if name in ROWS_OPEN:
        kind, column = ROWS_OPEN[name]
        selectable(frame, key=f"profile_{name}_{person}", kind=kind, id_column=column)
        return
    shown = plain_table(frame)
    st.dataframe(shown, hide_index=True, width="stretch", column_config=plain_config(shown, frame))


def tables(profile: Profile) -> None:
    """The tables beneath the words, a tab each."""
    found = profile_tables(profile)
    for tab, names in zip(st.tabs(list(TABS)), TABS.values(), strict=True):
        with tab:
            for name in names:
                _table(name, found[name], profile.person_id)
            if "incidents" in names:
                st.markdown("**When their incidents happen** (hour of the day, day of the week)")
                once = profile.incidents.drop_duplicates("incident_id")
                time_wheel(once, key=f"profile_wheel_{profile.person_id}")


def record_and_lookups(user: User, person: str, shown: str) -> None:
    """The list history from the reports, and for an administrator who has looked them up."""
    settings = data.settings()
    key = settings.pseudonym_key if user.pseudonymised else None
    history = guarded(lambda: list_history(settings.reports_dir, person, key=key))
    _table("list_history", history.rename(columns={"report_as_of": "report_date"}), shown)
    if "admin" in user.roles:
        looked = guarded(lambda: lookups(settings.audit_dir, person))
        _table("lookups", looked, shown)


def main() -> None:
    """The profile of the person the address or the picker names."""
    user = require_page("person")
    st.title("Person profile")
    run = stored_run()
    person = chosen_person(run)
    if person is None:
        st.info(
            "Choose a person above, or open one from a row of another page's table.",
            icon=":material/info:",
        )
        return
    # Recorded before anything about them is read (fail closed), once per session and person.
    audited("person.profile", person_ids=[person], what={"run": run.id})
    profile = _shown_profile(user, run, person)
    headline(profile, profile_words(profile), explorer=not user.pseudonymised)
    contagion_section(person)
    tables(profile)
    if not user.pseudonymised:  # the other records' ids are real ids
        identity_section(person)
    record_and_lookups(user, person, profile.person_id)


if __name__ == "__main__":
    main()
