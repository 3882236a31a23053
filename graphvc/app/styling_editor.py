"""The styling rules of the explorer's chart, editable for the session and saved per user.

The rules (TOML, :mod:`graphvc.styling`) start as the user's saved ones, else the shipped
default; the analyst edits them in a text area and the chart follows at once. A rule that is
not valid is named in an error and the last valid rules stay drawn. Saving writes them to a
file of the user's own under the graphvc home (``styling/<hash of the user's name>.toml``),
read again at their next session.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from graphvc.app import data
from graphvc.app.access import current_user
from graphvc.errors import GraphvcError
from graphvc.styling import (
    DEFAULT_STYLING,
    Styling,
    load_styling,
    parse_styling,
    save_styling,
    user_styling_path,
)

__all__ = ["styling_rules"]

#: Session keys: the rules' text (the text area's), and the last rules that were valid.
TEXT = "styling_text"
VALID = "styling_valid"
#: How errors name the rules being edited.
SOURCE = "(the rules being edited)"


def _saved_path() -> Path | None:
    user = current_user()
    return user_styling_path(data.settings().home, user.name) if user is not None else None


def _shipped() -> str:
    return DEFAULT_STYLING.read_text(encoding="utf-8")


def _restore() -> None:
    st.session_state[TEXT] = _shipped()


def _first_text(saved: Path | None) -> str:
    """The user's saved rules when they have some that still read, else the shipped ones."""
    if saved is not None and saved.is_file():
        text = saved.read_text(encoding="utf-8")
        try:
            parse_styling(text, str(saved))
        except GraphvcError as e:
            st.warning(
                f"Your saved styling rules no longer read, so the shipped ones are used: {e}"
            )
        else:
            return text
    return _shipped()


def styling_rules() -> Styling:
    """An expander with the chart's styling rules as TOML, editable for this session, with
    buttons to save them as the user's own and to restore the shipped ones; the rules to
    draw with (the last valid ones while the text has an error)."""
    saved = _saved_path()
    if TEXT not in st.session_state:
        st.session_state[TEXT] = _first_text(saved)
    with st.expander(
        "Styling rules: colours, sizes, shapes, icons and labels", icon=":material/palette:"
    ):
        st.caption(
            "Every rule that matches a node (by label) or a link (by type) applies in order, "
            "a later rule over an earlier one; `where` tests properties (a value, a list, or "
            "`at_least`/`above`/`at_most`/`below`/`exists`). See the documentation's "
            "*Styling rules* page for every key."
        )
        text = st.text_area("Rules (TOML)", key=TEXT, height=420)
        try:
            styling = parse_styling(text, SOURCE)
        except GraphvcError as e:
            st.error(str(e), icon=":material/error:")
            styling = st.session_state.get(VALID) or load_styling()
            valid = False
        else:
            st.session_state[VALID] = styling
            valid = True
        save, restore = st.columns(2)
        if save.button(
            "Save as my rules",
            icon=":material/save:",
            disabled=saved is None or not valid,
            help="Used again at your next session",
        ):
            assert saved is not None  # the button is disabled without a user
            save_styling(saved, text)
            st.success("Saved: your next session starts with these rules.", icon=":material/check:")
        restore.button(
            "Restore the shipped rules", icon=":material/restart_alt:", on_click=_restore
        )
    return styling
