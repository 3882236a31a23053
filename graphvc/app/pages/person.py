"""Person profile: who one person is in the stored run, in words and in tables.

Opened by its address, ``/person?person=<person_id>`` (a link an analyst can share), or by
picking a person on the page; each person opened is recorded once as a lookup
(``person.profile``) in the audit trail.
"""

from __future__ import annotations

import streamlit as st

from graphvc.app import data
from graphvc.app.access import audited, guarded, require_page
from graphvc.app.run_picker import stored_run

__all__ = ["main"]

#: The URL parameter that names the person shown.
PERSON_PARAMETER = "person"


def chosen_person(scored: list[str]) -> str | None:
    """The person named by ``?person=``, else the one picked among the ``scored`` people
    (nobody by default: a lookup is what the user asks for, not a default)."""
    asked = st.query_params.get(PERSON_PARAMETER)
    if asked:
        return str(asked)
    picked = st.selectbox(
        "Person",
        scored,
        index=None,
        placeholder="Choose a person, in rank order",
        key="profile_person",
    )
    if picked is not None:
        st.query_params[PERSON_PARAMETER] = picked
    return picked


def main() -> None:
    """The profile of the person the address or the picker names."""
    require_page("person")
    st.title("Person profile")
    run = stored_run()
    ranked = guarded(lambda: data.run_table(run.id, "people", columns=("rank",)))
    person = chosen_person([str(p) for p in ranked.index])
    if person is None:
        st.info("Choose a person, or open one from a list.", icon=":material/info:")
        return
    audited("person.profile", person_ids=[person], what={"run": run.id})
    st.subheader(person)


if __name__ == "__main__":
    main()
