"""Every export of the explorer's network, by format: what the CLI's ``graphvc export network``
and the explorer's download buttons both call."""

from __future__ import annotations

from dataclasses import dataclass

import neo4j

from graphvc.errors import QueryError
from graphvc.explore import EgoNetwork
from graphvc.exports.anx import anx_bytes
from graphvc.exports.graphml import gexf_bytes, graphml_bytes
from graphvc.exports.html import html_page
from graphvc.exports.image import png_bytes, svg_text
from graphvc.exports.network import export_graph

__all__ = ["FORMATS", "ExportFormat", "export_network"]


@dataclass(frozen=True)
class ExportFormat:
    """A file format: its name, file suffix, MIME type and what it is for."""

    name: str
    suffix: str
    mime: str
    title: str


#: The formats, in the order the app offers them.
FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat("anx", ".anx", "application/xml", "i2 Analyst's Notebook chart (ANX)"),
        ExportFormat("graphml", ".graphml", "application/graphml+xml", "GraphML"),
        ExportFormat("gexf", ".gexf", "application/xml", "GEXF (Gephi)"),
        ExportFormat("html", ".html", "text/html", "Interactive page (HTML)"),
        ExportFormat("svg", ".svg", "image/svg+xml", "Picture (SVG)"),
        ExportFormat("png", ".png", "image/png", "Picture (PNG)"),
    )
}


def export_network(
    driver: neo4j.Driver,
    network: EgoNetwork,
    file_format: str,
    *,
    key: str | None = None,
    seed: int = 0,
    database: str = "neo4j",
    timeout: float | None = 30.0,
) -> bytes:
    """The explorer's ``network`` as a file of ``file_format`` (one of :data:`FORMATS`).

    ``key`` pseudonymises every person id (:func:`graphvc.exports.network.export_graph`);
    ``seed`` fixes the layout of the ANX chart and the pictures. Raises :class:`QueryError`
    for an unknown format.
    """
    if file_format not in FORMATS:
        raise QueryError(f"format {file_format!r} is not one of {', '.join(FORMATS)}")
    if file_format == "html":
        return html_page(network, key=key)
    G = export_graph(driver, network, key=key, database=database, timeout=timeout)
    if file_format == "anx":
        return anx_bytes(G, seed=seed)
    if file_format == "graphml":
        return graphml_bytes(G)
    if file_format == "gexf":
        return gexf_bytes(G)
    if file_format == "svg":
        return svg_text(G, seed=seed).encode("utf-8")
    return png_bytes(G, seed=seed)
