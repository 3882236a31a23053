"""The explorer's network as files for other tools and colleagues: an i2 Analyst's Notebook
chart (ANX), GraphML, GEXF (Gephi), a self-contained HTML page, and SVG/PNG pictures.

:func:`~graphvc.exports.network.export_graph` reads the network's properties once (never a
person's name; person ids pseudonymised on request); each format module writes it.
``graphvc export network`` and the explorer's download buttons call
:func:`~graphvc.exports.formats.export_network`; both record the export in the audit trail.
"""

from graphvc.exports.anx import anx_bytes, check_anx
from graphvc.exports.formats import FORMATS, ExportFormat, export_network
from graphvc.exports.graphml import gexf_bytes, graphml_bytes
from graphvc.exports.html import html_page
from graphvc.exports.image import png_bytes, positions, svg_text
from graphvc.exports.network import export_graph, exported_person_ids

__all__ = [
    "FORMATS",
    "ExportFormat",
    "anx_bytes",
    "check_anx",
    "export_graph",
    "export_network",
    "exported_person_ids",
    "gexf_bytes",
    "graphml_bytes",
    "html_page",
    "png_bytes",
    "positions",
    "svg_text",
]
