"""The parts every report page is made of: the style sheet (laid out for A4 in print), the
self-contained page, its tables in plain language, figures and key-figure boxes.

:mod:`graphvc.reports.html` (the centrality report) and :mod:`graphvc.reports.tasking` (the
tasking pack) build their pages from these.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from html import escape
from typing import Any

import numpy as np
import pandas as pd

from graphvc.display import MISSING, heading, plain_value

__all__ = [
    "FLAG_ABOVE",
    "FLAG_BELOW",
    "STYLE",
    "WIDE",
    "figure",
    "figure_boxes",
    "html_page",
    "html_table",
]

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 60em; color: #222;
       padding: 0 1em; line-height: 1.4; -webkit-print-color-adjust: exact;
       print-color-adjust: exact; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.25em; border-bottom: 2px solid #0072B2; padding-bottom: 0.2em; margin-top: 2em; }
h3 { font-size: 1.05em; margin-bottom: 0.3em; }
p.note, figcaption { color: #555; font-size: 0.9em; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.5em 0 1em; }
th, td { padding: 0.25em 0.6em; border-bottom: 1px solid #ddd; text-align: left;
         vertical-align: top; overflow-wrap: break-word; }
th { background: #f3f6f9; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.flag { font-weight: bold; color: #D55E00; }
table.about th { width: 14em; }
.figures { display: flex; flex-wrap: wrap; gap: 1em; }
.figure { background: #f3f6f9; padding: 0.6em 1em; border-radius: 4px; min-width: 9em; }
.figure b { display: block; font-size: 1.4em; }
.row { display: flex; flex-wrap: wrap; gap: 1.5em; align-items: flex-start; }
code { font-size: 0.85em; }
.scroll { overflow-x: auto; max-width: 100%; }
svg { max-width: 100%; height: auto; }
@page { size: A4; margin: 14mm 12mm 16mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 9.5pt; }
  h2 { break-before: page; margin-top: 0; }
  h2:first-of-type { break-before: auto; margin-top: 1.5em; }
  h2, h3 { break-after: avoid; }
  .scroll { overflow: visible; }
  table { width: 100%; font-size: 7.5pt; }
  th, td { padding: 0.15em 0.25em; }
  table.wide { font-size: 7pt; }
  table.wide th, table.wide td { padding: 0.15em 0.15em; }
  td.id { overflow-wrap: anywhere; }
  thead { display: table-header-group; }
  tr, figure, .figure { break-inside: avoid; }
}
"""


#: Proportionality ratios at or beyond these bounds are flagged on the page.
FLAG_ABOVE, FLAG_BELOW = 1.5, 2 / 3


def _cell(column: str, value: Any) -> tuple[str, str]:
    """The text and CSS class of one table cell: the value as every table shows it
    (:func:`graphvc.display.plain_value`), numbers set to the right."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, str) and not value.strip():
        return MISSING, ""
    if isinstance(value, float) and np.isinf(value):
        return "not linked", ""
    if isinstance(value, str) and _CODE.fullmatch(value):
        return value.replace("_", " "), ""  # a value list's code, e.g. absolute_offender
    text = plain_value(column, value)
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    return text, ("n" if number and text != MISSING else "")


#: Where a long word of a heading may break, so that a table of many columns fits an A4
#: page: Chromium hyphenates only with dictionaries a headless install lacks.
_BREAKS = {
    "betweenness": "between\u00adness",
    "PageRank": "Page\u00adRank",
    "community": "com\u00admunity",
    "incidents": "inci\u00addents",
    "victimisations": "victim\u00adisations",
    "neighbours": "neigh\u00adbours",
    "offences": "of\u00adfences",
    "assessment": "assess\u00adment",
    "\u2013": "\u2013\u200b",
}
#: A code of a value list (``absolute_offender``, ``knife_enabled``), shown as words.
_CODE = re.compile(r"[a-z]+(?:_[a-z]+)+")
#: A table of more columns than this is set smaller in print.
WIDE = 12


def _breakable(heading: str) -> str:
    """``heading`` with soft hyphens where its long words may break.

    Examples
    --------
    >>> _breakable("harm PageRank") == "harm Page\u00adRank"
    True
    """
    for word, broken in _BREAKS.items():
        heading = heading.replace(word, broken)
        if word.capitalize() != word:
            heading = heading.replace(word.capitalize(), broken.capitalize())
    return heading


def html_table(
    frame: pd.DataFrame,
    columns: Mapping[str, str | None],
    *,
    flag: str | None = None,
    empty: str = "None.",
) -> str:
    """An HTML table of ``columns`` of ``frame`` in plain language: each column's heading
    is the one given, or (None) its declared label and unit
    (:func:`graphvc.display.heading`, as the app shows it); each value as
    :func:`graphvc.display.plain_value` writes it, missing as "—". With ``flag``, cells of
    that column beyond the proportionality bounds are marked. An empty ``frame`` is the
    sentence ``empty`` (say why the list is empty), not a table."""
    present = {c: h or heading(c) for c, h in columns.items() if c in frame.columns}
    if frame.empty:
        return f'<p class="note">{escape(empty)}</p>'
    head = "".join(f"<th>{escape(_breakable(h))}</th>" for h in present.values())
    rows = []
    for record in frame[list(present)].itertuples(index=False):
        cells = []
        for column, value in zip(present, record, strict=True):
            text, css = _cell(column, value)
            if column == flag and text != MISSING and not (FLAG_BELOW < float(value) < FLAG_ABOVE):
                css = "n flag"
            elif column == "person_id":
                css = "id"
            cells.append(
                f'<td class="{css}">{escape(text)}</td>' if css else f"<td>{escape(text)}</td>"
            )
        rows.append("<tr>" + "".join(cells) + "</tr>")
    wide = ' class="wide"' if len(present) > WIDE else ""
    return (
        f'<div class="scroll"><table{wide}><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def figure(svg: str, caption: str) -> str:
    """An SVG picture with its caption."""
    return f"<figure>{svg}<figcaption>{escape(caption)}</figcaption></figure>"


def figure_boxes(figures: Mapping[str, int]) -> str:
    """Key figures as a row of boxes, each a number over its label."""
    boxes = "".join(
        f'<div class="figure"><b>{value:,}</b>{escape(label)}</div>'
        for label, value in figures.items()
    )
    return f'<div class="figures">{boxes}</div>'


def html_page(title: str, body: str) -> str:
    """A self-contained HTML page: ``title``, the inline :data:`STYLE` and ``body``."""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>"
        f"<body>{body}</body></html>\n"
    )
