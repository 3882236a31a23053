"""The report page: one self-contained HTML file of a centrality report, and the pieces
the tasking pack's page shares with it (:func:`html_page`, :func:`html_table`,
:func:`people_section`, :func:`figure_boxes`, ...).

Everything is inline — the style sheet, and the charts as SVG (:mod:`graphvc.reports.charts`)
— so the page opens from a file share or an e-mail with no network, and nothing on it is
fetched from anywhere. Person ids on the page are those of the tables (pseudonyms when the
report is pseudonymised); names are never on it.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

import networkx as nx
import pandas as pd

from graphvc.reports import charts
from graphvc.reports.about import cut_note, provenance
from graphvc.reports.network_picture import network_picture
from graphvc.reports.page import (
    FLAG_ABOVE,
    FLAG_BELOW,
    STYLE,
    figure,
    figure_boxes,
    html_page,
    html_table,
)

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

#: The parts of priority as a reader names them.
PART_NAMES = {"rfg": "RFG", "betweenness": "betweenness", "harm_pagerank": "harm PageRank"}


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
    svg = network_picture(
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
        + figure(
            chart,
            "Crime harm (Cambridge Crime Harm Index days) in the window, by borough. "
            + cut_note(manifest, "places_borough", "boroughs with harm"),
        )
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
