"""The report page: one self-contained HTML file of a centrality report, and the pieces
the tasking pack's page shares with it (:func:`html_page`, :func:`html_table`,
:func:`people_section`, :func:`figure_boxes`, ...).

Everything is inline — the style sheet, and the charts as SVG (:mod:`graphvc.reports.charts`)
— so the page opens from a file share or an e-mail with no network, and nothing on it is
fetched from anywhere. Person ids on the page are those of the tables (pseudonyms when the
report is pseudonymised); names are never on it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from html import escape
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from graphvc.display import MISSING, heading, plain_value
from graphvc.reports import charts
from graphvc.reports.about import cut_note, provenance

__all__ = [
    "PART_NAMES",
    "STYLE",
    "changes_section",
    "figure",
    "figure_boxes",
    "html_page",
    "html_table",
    "neighbourhoods_section",
    "people_section",
    "render_report",
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

#: The parts of priority as a reader names them.
PART_NAMES = {"rfg": "RFG", "betweenness": "betweenness", "harm_pagerank": "harm PageRank"}
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


def _header(manifest: Mapping[str, Any]) -> str:
    p = manifest["parameters"]
    window = manifest["data"]["analysis"].get("window", {})
    named = "pseudonymised (keyed hashes of ids)" if p.get("pseudonymised") else "by their ids"
    note = manifest["data"]["analysis"].get("note")
    return (
        f"<h1>Centrality report — as of {escape(manifest['as_of'])}</h1>"
        f'<p class="note">Incidents from {escape(str(window.get("start", "")))[:10]} to the day '
        f"before {escape(manifest['as_of'])} ({p['window_days']} days); top {p['top']} of each "
        f"list, ties at the cut kept; people named {named}; seed {p['seed']}. Person network "
        f"of the tie layers {escape(_layers(p))}.</p>"
        + (f'<p class="note">{escape(str(note))}</p>' if note else "")
    )


def _layers(parameters: Mapping[str, Any]) -> str:
    """The tie layers and their weights, e.g. ``co-offending × 1, gang × 2``."""
    return ", ".join(
        f"{layer} × {weight:g}" for layer, weight in parameters.get("tie_weights", {}).items()
    )


def _key_figures(analysis: Mapping[str, Any]) -> str:
    figures = {
        "incidents in the window": analysis.get("incidents_in_window"),
        "people in the network": analysis.get("people_in_network"),
        "links in the network": analysis.get("network_links"),
        "co-offending links": analysis.get("co_offending_links"),
        "communities": analysis.get("communities"),
        "repeat victims (year)": analysis.get("repeat_victims"),
        "domestic repeat pairs": analysis.get("domestic_repeat_pairs"),
        "escalated to knife or gun": analysis.get("escalated_to_knife_or_gun"),
    }
    return figure_boxes(
        {label: value for label, value in figures.items() if isinstance(value, int)}
    )


def figure_boxes(figures: Mapping[str, int]) -> str:
    """Key figures as a row of boxes, each a number over its label."""
    boxes = "".join(
        f'<div class="figure"><b>{value:,}</b>{escape(label)}</div>'
        for label, value in figures.items()
    )
    return f'<div class="figures">{boxes}</div>'


def people_section(
    offenders: pd.DataFrame,
    weights: Mapping[str, float],
    *,
    heading: str,
    note: str,
    columns: Mapping[str, str | None],
    caption: str = "",
    chart_if_empty: bool = False,
    after: str = "",
    empty: str = "No one: no person with an incident in the window was scored (data that "
    "names no people, such as police.uk's, lists no one).",
) -> str:
    """A list of people (:func:`graphvc.reports.tables.offenders_table`) as a section:
    ``heading``, ``note``, each person's priority split into its parts weighted by
    ``weights`` (a chart, with ``caption``; drawn for an empty list too, its legend alone,
    when ``chart_if_empty``), the table of ``columns`` (or the sentence ``empty``) and then
    ``after``."""
    parts = {
        PART_NAMES.get(name, name): offenders[f"{name}_part"].fillna(0).tolist()
        for name in weights
        if f"{name}_part" in offenders
    }
    labels = [f"{r}. {p}" for r, p in zip(offenders["rank"], offenders["person_id"], strict=True)]
    chart = charts.stacked_bars(labels, parts, title="priority and its parts")
    return (
        f"<h2>{escape(heading)}</h2>"
        f'<p class="note">{escape(note)}</p>'
        + (figure(chart, caption) if len(offenders) or chart_if_empty else "")
        + html_table(offenders, columns, empty=empty)
        + after
    )


def _offenders(offenders: pd.DataFrame, scores: pd.DataFrame, manifest: Mapping[str, Any]) -> str:
    weights = manifest["parameters"].get("priority_weights", {})
    columns: dict[str, str | None] = dict.fromkeys(
        (
            "rank",
            "person_id",
            "priority",
            "rfg",
            "betweenness",
            "harm_pagerank",
            "frequency",
            "gravity",
            "recency_days",
            "degree",
            "community",
            "escalated_to_knife_or_gun",
            "overlap_class",
            "exposure_distance",
            "listed_since",
            "review_by",
        )
    )
    histograms = "".join(
        charts.histogram(scores[column].astype(float).tolist(), title=column)
        for column in scores.columns
    )
    weights_text = ", ".join(f"{name} × {weight:g}" for name, weight in weights.items())
    return people_section(
        offenders,
        weights,
        heading="Who is central now",
        note=f"Priority = the weighted mean of {weights_text}, each scaled to its largest "
        "value; RFG is recency, frequency and gravity (harm) of offending. offenders.csv has "
        "every part of every score. " + cut_note(manifest, "offenders", "people scored"),
        columns=columns,
        caption="Priority of each listed person, split into its weighted parts.",
        chart_if_empty=True,
        after="<h3>Score distributions over everyone scored</h3>"
        f'<div class="row">{histograms}</div>',
    )


def changes_section(changes: pd.DataFrame, previous: str | None) -> str:
    if previous is None:
        return (
            "<h2>Who is new, who moved</h2>"
            '<p class="note">No earlier report in this folder to compare with.</p>'
        )
    counts = changes["change"].value_counts()
    summary = ", ".join(
        f"{int(counts.get(kind, 0))} {kind}"
        for kind in ("entered", "left", "up", "down", "unchanged")
    )
    columns = {
        "change": "Change",
        "person_id": None,
        "rank": "Rank now",
        "previous_rank": "Rank before",
        "places_moved": "Places moved",
        "priority": None,
        "previous_priority": "Priority before",
    }
    return (
        "<h2>Who is new, who moved</h2>"
        f'<p class="note">Against the report of {escape(previous)}: {escape(summary)}. '
        "Rank now of someone who left is their place in today's full ranking.</p>"
        + html_table(changes, columns)
    )


def _review(review: pd.DataFrame, manifest: Mapping[str, Any]) -> str:
    p = manifest["parameters"]
    counts = review["recommendation"].value_counts()
    columns: dict[str, str | None] = dict.fromkeys(
        (
            "recommendation",
            "person_id",
            "rank",
            "listed_since",
            "review_by",
            "last_offending",
            "reason",
        )
    )
    return (
        "<h2>Review and removal</h2>"
        f'<p class="note">{int(counts.get("review", 0))} due for review (listed for '
        f"{escape(str(p.get('review_days')))} days or more) and {int(counts.get('remove', 0))} "
        "recommended for removal (no incident as offender or suspect in the last "
        f"{escape(str(p.get('inactive_months')))} months). A person stays on the list only "
        "while the data says so: the review meeting decides, and records why.</p>"
        + html_table(review, columns)
    )


def _network(core: nx.Graph, communities: pd.DataFrame, seed: int) -> str:
    largest = max([data["priority"] for _, data in core.nodes(data=True)] + [0.0]) or 1.0
    svg = charts.network_picture(
        core,
        labels={node: str(data["rank"]) for node, data in core.nodes(data=True)},
        tips={
            node: f"rank {data['rank']}: {node}, priority {data['priority']:.3g}, "
            f"community {data['community']}"
            for node, data in core.nodes(data=True)
        },
        sizes={node: data["priority"] / largest for node, data in core.nodes(data=True)},
        groups={node: data["community"] for node, data in core.nodes(data=True)},
        title="co-offending among the listed people",
        seed=seed,
    )
    columns = {
        "community": None,
        "people": "People",
        "listed": "Listed",
        "best_rank": "Best rank",
        "links": "Co-offending links",
        "incidents": None,
        "harm": None,
    }
    return (
        "<h2>The core network</h2>"
        + figure(
            svg,
            "Co-offending ties among the listed people in the window: each circle a "
            "person labelled by rank, sized by priority, coloured by community; lines as "
            "wide as the incidents shared.",
        )
        + "<h3>Their communities</h3>"
        + html_table(communities, columns)
    )


def _victims(victims: pd.DataFrame, manifest: Mapping[str, Any]) -> str:
    columns = {
        "rank": None,
        "person_id": None,
        "victimisations": None,
        "harm": "Harm suffered (days)",
        "harm_share": "Share of victims' harm (%)",
        "first_at": None,
        "last_at": None,
    }
    return (
        "<h2>Repeat victims</h2>"
        '<p class="note">Victims of two or more incidents in the year to the as-of date. '
        f"{escape(cut_note(manifest, 'repeat_victims', 'repeat victims'))}</p>"
        + html_table(victims, columns)
    )


def _places(
    places: pd.DataFrame, outlines: Mapping[str, Any] | None, manifest: Mapping[str, Any]
) -> str:
    boroughs = places[places["level"] == "borough"]
    chart = charts.bar_chart(
        [
            str(n if pd.notna(n) else c)
            for n, c in zip(boroughs["name"], boroughs["code"], strict=True)
        ],
        boroughs["harm"].astype(float).tolist(),
        title="harm by borough",
    )
    columns = {
        "rank": None,
        "code": "Code",
        "name": None,
        "incidents": None,
        "harm": None,
        "harm_share": None,
        "cumulative_harm_share": None,
    }
    tables = "".join(
        f"<h3>{escape(level.capitalize())}s</h3>"
        + f'<p class="note">{escape(cut_note(manifest, f"places_{level}", f"{level}s with harm"))}</p>'
        + html_table(places[places["level"] == level], columns)
        for level in ("ward", "location")
    )
    drawn = ""
    if outlines and outlines.get("borough"):
        harm = dict(zip(boroughs["code"].astype(str), boroughs["harm"].astype(float), strict=True))
        picture = charts.outline_map(
            outlines["borough"], harm, title="harm by borough", lines=outlines.get("ward")
        )
        legend = charts.shade_legend(max(harm.values(), default=0.0), title="harm (days)")
        drawn = figure(
            f'<div class="row">{picture}{legend}</div>',
            "The boroughs listed above shaded by their harm (darker: more), ward outlines in "
            "grey. " + ("Outlines are approximate." if outlines.get("approximate") else ""),
        )
    return (
        "<h2>Where the harm falls</h2>"
        + figure(chart, "Crime harm (Cambridge Crime Harm Index days) in the window, by borough.")
        + drawn
        + tables
    )


def neighbourhoods_section(wards: pd.DataFrame, which: str) -> str:
    """High-impact neighbourhoods: ``wards`` (:func:`graphvc.analysis.neighbourhoods.high_impact_wards`,
    or some of its rows) as a chart and a table; ``which`` says which wards, in a phrase
    that ends before "and in how many of the last four quarters..."."""
    chart = charts.bar_chart(
        [str(n) for n in wards["ward_name"].head(15)],
        (wards["harm_share"].head(15) * 100).astype(float).tolist(),
        title="share of the force's harm (%)",
    )
    columns = {
        "rank": "Force rank",
        "ward_code": None,
        "ward_name": None,
        "borough_name": None,
        "incidents": None,
        "harm": None,
        "harm_share": "Share of the force's harm (%)",
        "top_decile": "Top decile now",
        "periods_in_top_decile": "Quarters in top decile",
        "periods": "Of quarters",
    }
    return (
        "<h2>High-impact neighbourhoods</h2>"
        f'<p class="note">{escape(which)}, and in how many of the last four quarters each was '
        "in the force's top decile of wards. Harm per 1,000 residents is not shown: no "
        "population table is part of the installed reference data.</p>"
        + (figure(chart, "Share of the force's harm, last quarter.") if len(wards) else "")
        + html_table(wards, columns)
    )


def _trend(trend: pd.DataFrame) -> str:
    wide = trend.pivot_table(
        index="month", columns="category", values="incidents", aggfunc="sum", sort=False
    ).fillna(0)
    series = {str(c): wide[c].astype(float).tolist() for c in wide.columns if wide[c].sum() > 0}
    chart = charts.line_chart(list(map(str, wide.index)), series, title="incidents by month")
    return "<h2>Trend by continuum category</h2>" + figure(
        chart,
        "Incidents per month and category of the continuum of violence "
        "(the first and last months may be partial).",
    )


def _exposure(exposure: pd.DataFrame) -> str:
    columns = {
        "person_id": None,
        "rank": "Priority rank",
        "distance": None,
        "is_victim": None,
        "victims_1": "Victims 1 step away",
        "neighbours_1": "People 1 step away",
        "victims_2": "Victims 2 steps away",
        "neighbours_2": "People 2 steps away",
    }
    return (
        "<h2>Exposure to gun and knife violence</h2>"
        '<p class="note">People in the person network at most two steps from a '
        "victim of gun or knife violence in the window.</p>" + html_table(exposure, columns)
    )


def _near_repeats(knox: pd.DataFrame) -> str:
    columns = {
        "distance_from_m": "From (m)",
        "distance_to_m": "To (m)",
        "days_from": "From (days)",
        "days_to": "To (days)",
        "observed": "Pairs",
        "simulated_mean": "Expected",
        "knox_ratio": "Knox ratio",
        "p_value": "p",
    }
    return (
        "<h2>Near repeats</h2>"
        '<p class="note">Knox test: pairs of incidents close in space and in time, beside the '
        "count expected when the dates are shuffled among the places; a ratio above 1 with a "
        "small p is a near-repeat pattern. police.uk records only the month: on its data, "
        "read the same-month and next-month bands.</p>" + html_table(knox, columns)
    )


def _proportionality(table: pd.DataFrame) -> str:
    columns = {
        "value": None,
        "list_count": None,
        "list_share": None,
        "population_count": "In the pool",
        "population_share": "Share of the pool (%)",
        "ratio": None,
    }
    blocks = []
    pools = {"offenders": "everyone scored", "repeat_victims": "every victim of the year"}
    for name, group in table.groupby("list", sort=False):
        panels = "".join(
            f"<div><h3>{escape(str(name).replace('_', ' '))}: {escape(str(attribute).replace('_', ' '))}</h3>"
            + html_table(rows, columns, flag="ratio")
            + "</div>"
            for attribute, rows in group.groupby("attribute", sort=False)
        )
        blocks.append(
            f'<p class="note">{escape(str(name).replace("_", " "))}, beside '
            f"{escape(pools.get(str(name), 'their pool'))}:</p>"
            f'<div class="row">{panels}</div>'
        )
    return (
        "<h2>Proportionality</h2>"
        '<p class="note">The make-up of each list beside the pool it was drawn from. Ratio = '
        f"share of list / share of pool; ratios of {FLAG_ABOVE:g} or more, or {FLAG_BELOW:.2g} or "
        "less, are marked. On short lists a single person moves a ratio a long way.</p>"
        + "".join(blocks)
    )


def render_report(
    tables: Mapping[str, pd.DataFrame],
    *,
    manifest: Mapping[str, Any],
    scores: pd.DataFrame,
    core: nx.Graph,
    seed: int = 0,
    outlines: Mapping[str, Any] | None = None,
) -> str:
    """The report page for ``tables`` (as
    :func:`graphvc.reports.weekly_centrality.write_report` writes them) and ``manifest``.

    ``scores`` holds the score columns of everyone scored (no ids), drawn as
    distributions; ``core`` is :func:`graphvc.reports.tables.core_network`; ``outlines``
    (GeoJSON by level, ``"borough"`` and ``"ward"``, and ``"approximate"``) draws the
    boroughs' harm on a map.
    """
    body = "".join(
        [
            _header(manifest),
            _key_figures(manifest["data"]["analysis"]),
            _offenders(tables["offenders"], scores, manifest),
            changes_section(tables["changes"], manifest.get("previous_report")),
            _review(tables["review"], manifest),
            _network(core, tables["communities"], seed),
            _victims(tables["repeat_victims"], manifest),
            _places(tables["places"], outlines, manifest),
            _near_repeats(tables["near_repeats"]),
            neighbourhoods_section(
                tables["neighbourhoods"],
                "The wards with crime harm in the last quarter that were in the force's top "
                "decile of wards by harm in it or in one of the three quarters before, by "
                "their share of the force's harm in the last quarter",
            ),
            _trend(tables["trend"]),
            _exposure(tables["exposure"]),
            _proportionality(tables["proportionality"]),
            provenance(manifest),
        ]
    )
    return html_page(f"graphvc centrality report, as of {manifest['as_of']}", body)


def html_page(title: str, body: str) -> str:
    """A self-contained HTML page: ``title``, the inline :data:`STYLE` and ``body``."""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>"
        f"<body>{body}</body></html>\n"
    )
