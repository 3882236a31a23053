"""Every row a way in: a table whose selected row opens the person's profile, the place's
page or the explorer centred on it, and the deep links that open them from anywhere.

The views are pages reached by URL, so an analyst can share one:
``/person?person=<id>``, ``/places?place=<id or code>``, ``/explorer?centre=<id>&hops=<n>``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import pandas as pd
import streamlit as st

from graphvc.app import page
from graphvc.display import column_help, plain_table

__all__ = [
    "KINDS",
    "open_explorer",
    "open_person",
    "open_place",
    "open_view",
    "plain_config",
    "selectable",
]

#: What a selected row opens, by the kind of id its ``id_column`` holds.
KINDS = ("person", "place", "explorer")


def open_person(person_id: str) -> None:
    """Open the profile of ``person_id`` (``/person?person=<id>``)."""
    st.switch_page(page("person"), query_params={"person": str(person_id)})


def open_place(place_id: str) -> None:
    """Open the places page on ``place_id``: a location id, a ward or a borough code
    (``/places?place=<id>``)."""
    st.switch_page(page("places"), query_params={"place": str(place_id)})


def open_explorer(centre: str, hops: int = 2) -> None:
    """Open the explorer centred on node ``centre`` (``/explorer?centre=<id>&hops=<n>``)."""
    st.switch_page(page("explorer"), query_params={"centre": str(centre), "hops": str(hops)})


def open_view(kind: str, node_id: str) -> None:
    """Open the view of ``kind`` (one of :data:`KINDS`) for ``node_id``."""
    if kind == "person":
        open_person(node_id)
    elif kind == "place":
        open_place(node_id)
    elif kind == "explorer":
        open_explorer(node_id)
    else:
        raise ValueError(f"no view of kind {kind!r}: one of {', '.join(KINDS)}")


def plain_config(
    shown: pd.DataFrame,
    frame: pd.DataFrame,
    *,
    table: str | None = None,
    helps: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The ``column_config`` of :func:`plain_table` ``shown`` of ``frame``: each column's help
    text (``helps``, by column name, before the declared ones), numbers aligned right (they
    are text, so Streamlit would put them left)."""
    named = any(n is not None for n in frame.index.names)
    names = [*(frame.index.names if named else []), *frame.columns]
    given = {
        text: (helps or {})[name]
        for text, name in zip(shown.columns, names, strict=True)
        if name in (helps or {})
    }
    helps = {**column_help(frame, table=table), **given}
    config = {}
    for text in shown.columns:
        values = shown[text].str.replace(",", "", regex=False).str.lstrip("-")
        numeric = bool(len(values)) and bool(values.str.fullmatch(r"[0-9.∞%—]+").all())
        config[text] = st.column_config.TextColumn(
            text, help=helps.get(text), alignment="right" if numeric else None
        )
    return config


def selectable(
    frame: pd.DataFrame,
    *,
    key: str,
    kind: str,
    id_column: str,
    table: str | None = None,
    height: int | Literal["auto"] = "auto",
    helps: Mapping[str, str] | None = None,
) -> None:
    """``frame`` as a plain-language table (:func:`graphvc.display.plain_table`, each heading
    with its help) whose rows can be selected; selecting one opens its view (``kind``: the
    person's profile, the place's page or the explorer centred on it) for the id in its
    ``id_column`` (a column of ``frame`` or its named index); ``helps`` adds help texts by
    column name (a Cypher query's own columns)."""
    if kind not in KINDS:
        raise ValueError(f"no view of kind {kind!r}: one of {', '.join(KINDS)}")
    flat = frame.reset_index() if any(n is not None for n in frame.index.names) else frame
    ids = [None if pd.isna(v) else str(v) for v in flat[id_column]]
    shown = plain_table(frame, table=table)
    event = st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        height=height,
        column_config=plain_config(shown, frame, table=table, helps=helps),
        on_select="rerun",
        selection_mode="single-row",
        key=key,
    )
    rows = event.selection.rows if event is not None else []
    chosen = ids[rows[0]] if rows and rows[0] < len(ids) else None
    if chosen is not None:
        open_view(kind, chosen)
    st.caption("Select a row to open it.", help=f"Opens the {_VIEWS[kind]}.")


_VIEWS = {
    "person": "person's profile",
    "place": "place's page",
    "explorer": "network explorer centred on it",
}
