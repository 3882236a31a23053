"""An exported network as a self-contained interactive HTML page: the explorer's own picture
(:func:`graphvc.app.network_view.network_html`, pyvis with vis.js inlined, no CDN), which
opens in any browser without graphvc or a network connection."""

from __future__ import annotations

import re

import pandas as pd

from graphvc.app.network_view import network_html
from graphvc.explore import EgoNetwork
from graphvc.exports.network import pseudonymised_network

__all__ = ["html_page"]

# pyvis's template also links Bootstrap from a CDN and vis.js from a relative node_modules
# folder; the picture needs neither (vis-network is inlined), and a page handed on must not
# call out to the internet or fail on a missing file.
_EXTERNAL_STYLE = re.compile(r"<link\b[^>]*\bhref=\"(?:https?:|\.\./)[^\"]*\"[^>]*>", re.DOTALL)
_EXTERNAL_SCRIPT = re.compile(r"<script\b[^>]*\bsrc=\"[^\"]*\"[^>]*>\s*</script>", re.DOTALL)


def html_page(network: EgoNetwork, *, key: str | None = None, title: str = "") -> bytes:
    """``network`` drawn as the explorer draws it, as one HTML page (UTF-8); with a pseudonym
    ``key``, every person is shown by their pseudonym."""
    shown = _without_element_ids(pseudonymised_network(network, key) if key else network)
    page = _EXTERNAL_SCRIPT.sub("", _EXTERNAL_STYLE.sub("", network_html(shown, height=900)))
    if title:
        page = page.replace("<head>", f"<head>\n<title>{_escape(title)}</title>", 1)
    return page.encode("utf-8")


def _without_element_ids(network: EgoNetwork) -> EgoNetwork:
    """``network`` with the database's element ids replaced by ``n0``, ``n1``, ...: they name
    nodes inside one database and have no business in a file handed on."""
    names = {e: f"n{i}" for i, e in enumerate(network.nodes["element_id"])}
    nodes = network.nodes.assign(element_id=network.nodes["element_id"].map(names))
    edges = network.edges.assign(
        source=network.edges["source"].map(names), target=network.edges["target"].map(names)
    )
    return EgoNetwork(pd.DataFrame(nodes), pd.DataFrame(edges), network.truncated)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
