"""The explorer's export buttons: the network shown, as an i2 chart (ANX), GraphML, GEXF, an
interactive HTML page and SVG/PNG pictures (:mod:`graphvc.exports`), each made only when its
button is clicked, after the export is recorded in the audit trail with the people it holds
(:func:`graphvc.app.access.audited_export`). A user who sees people only under pseudonyms
gets pseudonymised files."""

from __future__ import annotations

from functools import partial

import streamlit as st

from graphvc.app import data
from graphvc.app.access import audited_export, current_user
from graphvc.explore import EgoNetwork
from graphvc.exports import FORMATS, export_network

__all__ = ["export_buttons"]


def export_buttons(shown: EgoNetwork, node_id: str, people: list[str]) -> None:
    """A download button per format of :data:`graphvc.exports.FORMATS` for the network
    ``shown`` around ``node_id``, whose people (real ids, for the audit trail) are
    ``people`` (:func:`graphvc.exports.exported_person_ids`)."""
    user = current_user()
    settings = data.settings()
    pseudonymised = bool(user and user.pseudonymised)
    if pseudonymised and not settings.pseudonym_key:
        st.caption(
            "Exports need GRAPHVC_PSEUDONYM_KEY: your role sees people only under pseudonyms."
        )
        return
    key = settings.pseudonym_key if pseudonymised else None

    def maker(file_format: str) -> bytes:
        return export_network(
            data.driver(),
            shown,
            file_format,
            key=key,
            database=settings.neo4j_database,
            timeout=settings.query_timeout,
        )

    formats = list(FORMATS.items())
    # Rows of three, so that the buttons read (and are listed) in the order of FORMATS.
    for row in range(0, len(formats), 3):
        for column, (name, spec) in zip(st.columns(3), formats[row : row + 3], strict=False):
            file_name = f"{node_id if not key else 'network'}{spec.suffix}"
            what = {
                "file": file_name,
                "format": name,
                "centre": node_id,
                "nodes": len(shown.nodes),
                "pseudonymised": pseudonymised,
            }
            exported = audited_export(partial(maker, name), person_ids=people, what=what)
            column.download_button(
                spec.title, exported, file_name, spec.mime, on_click="ignore", key=f"export-{name}"
            )
