"""The tasking pack: one borough's page for its weekly tasking meeting.

:func:`write_tasking_pack` writes, for a borough, ``DIR/<borough code>/<as-of date>/``
(with ``DIR/<borough code>/latest``), staged and published like the centrality report
(:mod:`graphvc.reports.folders`), reproducible byte for byte::

    targets.csv          the borough's (and the force's) targets: baseline, current, change,
                         its 95 % interval, met / missed / on track / off track, signals
    target_charts.csv    the monthly series with control limits behind them
    neighbourhoods.csv   the borough's wards by share of the force's harm, with stability
    offenders.csv        its potentially dangerous people, every part of their score
    victims.csv          repeat and domestic-abuse victims, those due for contact first
    marac.csv            MARAC candidates
    changes.csv          who entered, left or moved on the list since the last pack
    report.html          one self-contained page of all of it
    manifest.json

A person belongs to a borough's pack when an incident of theirs in the window happened there.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from html import escape
from pathlib import Path
from typing import Any

import neo4j
import pandas as pd

from graphvc import audit
from graphvc.analysis.events import is_in
from graphvc.analysis.neighbourhoods import high_impact_wards
from graphvc.db import server_version
from graphvc.errors import ConfigError, ReportError
from graphvc.geography import map_geography
from graphvc.reports import folders
from graphvc.reports.about import cut_note, list_size, provenance
from graphvc.reports.borough_map import borough_map_section
from graphvc.reports.changes import comparable, rank_changes, read_list
from graphvc.reports.html import (
    PART_NAMES,
    changes_section,
    figure,
    figure_boxes,
    html_page,
    html_table,
    neighbourhoods_section,
    people_section,
)
from graphvc.reports.manifest import run_manifest, sha256
from graphvc.reports.pseudonyms import key_id, person_names
from graphvc.reports.tables import offenders_table
from graphvc.reports.targets import DISPLAY_COLUMNS, formatted, target_chart
from graphvc.reports.tasking_lists import (
    CONTACT_DAYS,
    MARAC_INCIDENTS,
    incident_boroughs,
    marac_candidates,
    people_in,
    victims_due,
)
from graphvc.reports.weekly_centrality import check_options
from graphvc.runs import AnalysisParameters, AnalysisResult, obtain_run
from graphvc.targets import METHODS, Targets, evaluate_targets, load_targets, read_sources

__all__ = [
    "CONTACT_DAYS",
    "MARAC_INCIDENTS",
    "PACK_TABLES",
    "REPORT",
    "build_tasking_packs",
    "marac_candidates",
    "tasking_tables",
    "victims_due",
    "write_tasking_pack",
]

log = logging.getLogger(__name__)

REPORT = "tasking"
PACK_TABLES = (
    "targets",
    "target_charts",
    "neighbourhoods",
    "offenders",
    "victims",
    "marac",
    "changes",
)


def tasking_tables(
    result: AnalysisResult,
    borough: str,
    performance: tuple[pd.DataFrame, pd.DataFrame],
    *,
    top: int = 20,
) -> tuple[dict[str, pd.DataFrame], dict[str, dict[str, int]]]:
    """Every table of ``borough``'s pack but ``changes``, people under their own ids, and
    the size of each list cut at ``top`` (:func:`graphvc.reports.about.list_size`: how many
    it shows of how many qualified).

    ``performance`` is :func:`graphvc.targets.evaluate_targets` for this borough. The
    offenders are the top ``top`` (ties at the cut kept); the victims the first ``top``
    of :func:`victims_due`.
    """
    parameters = result.parameters
    tables = result.tables
    boroughs = incident_boroughs(tables)
    people = result.people[
        is_in(result.people.index.astype(str), people_in(result.events, boroughs, borough))
    ]
    people = people.rename(columns={"rank": "force_rank"})
    people.insert(0, "rank", people["force_rank"].rank(method="min").astype("int64"))
    wards = high_impact_wards(tables["incidents"], tables["locations"], as_of=parameters.moment)
    wards = wards[wards["borough_code"] == borough].reset_index(drop=True)
    targets, target_charts = performance
    offenders = offenders_table(people, top)
    victims = victims_due(result, borough)
    shown = victims.head(top)
    tables = {
        "targets": targets,
        "target_charts": target_charts,
        "neighbourhoods": wards,
        "offenders": offenders,
        "victims": shown,
        "marac": marac_candidates(result, borough),
    }
    sizes = {
        "offenders": list_size(len(offenders), len(people)),
        "victims": list_size(len(shown), len(victims)),
    }
    return tables, sizes


# --- the page ---------------------------------------------------------------------------------


def _targets_section(targets: pd.DataFrame, target_charts: pd.DataFrame, borough: str) -> str:
    if targets.empty:
        return '<h2>Targets</h2><p class="note">No targets.</p>'
    shown = formatted(targets)
    titles = dict(zip(targets["target"], targets["title"], strict=True))
    pictures = []
    for target, rows in target_charts[target_charts["area_code"] == borough].groupby(
        "target", sort=False
    ):
        title = str(titles.get(target, target))
        pictures.append(
            figure(
                target_chart(rows, title=title),
                f"{title}: monthly, with the centre line and 3-sigma limits of the baseline "
                "year; orange points signal a real shift.",
            )
        )
    states = targets[targets["area_code"] == borough]["status"].value_counts()
    summary = ", ".join(f"{int(n)} {s}" for s, n in states.items())
    return (
        "<h2>Targets</h2>"
        f'<p class="note">This borough: {escape(summary or "no targets")}. Changes are '
        "relative for counts and in proportion points for rates; a change is beyond chance "
        "when its 95% interval excludes no change (exact Poisson-ratio interval for counts, "
        "Newcombe's score interval for rates). A year in progress is compared like for "
        "like, with the same days of the year before.</p>"
        + html_table(shown, DISPLAY_COLUMNS)
        + "".join(pictures)
    )


def _people_section(
    offenders: pd.DataFrame, weights: Mapping[str, float], manifest: Mapping[str, Any]
) -> str:
    columns = {
        "rank": "Rank here",
        "force_rank": "Force rank",
        "person_id": None,
        "priority": None,
        **{f"{name}_part": f"{PART_NAMES.get(name, name)} part" for name in weights},
        "rfg": None,
        "recency_days": None,
        "frequency": None,
        "gravity": None,
        "betweenness": None,
        "harm_pagerank": None,
        "degree": None,
        "escalated_to_knife_or_gun": None,
        "exposure_distance": None,
    }
    return people_section(
        offenders,
        weights,
        heading="Potentially dangerous people",
        note="People with an incident in this borough in the window, by their force-wide "
        "priority; every part of the score is shown (offenders.csv has all). "
        + cut_note(manifest, "offenders", "people of the borough"),
        empty="No one: no person with an incident in this borough in the window was scored "
        "(data that names no people, such as police.uk's, lists no one).",
        columns=columns,
    )


def _victims_section(
    victims: pd.DataFrame, marac: pd.DataFrame, manifest: Mapping[str, Any]
) -> str:
    victim_columns = {
        "person_id": None,
        "victimisations": "Victimisations (year)",
        "domestic_incidents": "Domestic abuse",
        "harm": "Harm suffered (days)",
        "last_at": None,
        "days_since_last": "Days since",
        "due_for_contact": f"Due for contact (< {CONTACT_DAYS} days)",
    }
    marac_columns = {
        "person_id": None,
        "domestic_incidents": "Domestic-abuse incidents (12 months)",
        "last_at": None,
        "high_risk_assessment": "High-risk assessment",
        "reason": "Why",
    }
    return (
        "<h2>Victims due for contact</h2>"
        '<p class="note">Repeat victims (two or more in the year) and domestic-abuse repeat '
        f"victims of this borough; those victimised in the last {CONTACT_DAYS} days first, "
        "when a repeat is likeliest. "
        + escape(cut_note(manifest, "victims", "victims"))
        + "</p>"
        + html_table(
            victims,
            victim_columns,
            empty="No repeat or domestic-abuse repeat victim was victimised in this borough "
            "in the year.",
        )
        + "<h2>MARAC candidates</h2>"
        f'<p class="note">Domestic-abuse victims with {MARAC_INCIDENTS} or more incidents in 12 '
        "months (SafeLives' potential escalation), or a high-risk assessment where one is "
        "loaded.</p>"
        + html_table(
            marac,
            marac_columns,
            empty=f"None: no domestic-abuse victim in this borough had {MARAC_INCIDENTS} or "
            "more incidents in the 12 months, and no high-risk assessment of an incident here "
            "is recorded in that time.",
        )
    )


def render_tasking(
    tables: Mapping[str, pd.DataFrame],
    *,
    manifest: Mapping[str, Any],
    borough_name: str,
    locations: pd.DataFrame | None = None,
    outlines: Mapping[str, Any] | None = None,
) -> str:
    """The pack's self-contained page; with ``outlines`` (as
    :meth:`graphvc.geography.MapGeography.for_report` gives them) and the graph's
    ``locations``, a map of the borough and its wards' harm."""
    code = manifest["borough"]
    counts = {
        "targets met or on track": int(
            tables["targets"][tables["targets"]["area_code"] == code]["status"]
            .isin(["met", "on track"])
            .sum()
        ),
        "high-impact wards (top decile now)": int(tables["neighbourhoods"]["top_decile"].sum())
        if len(tables["neighbourhoods"])
        else 0,
        "people listed": len(tables["offenders"]),
        "victims due for contact": int(tables["victims"]["due_for_contact"].sum())
        if len(tables["victims"])
        else 0,
        "MARAC candidates": len(tables["marac"]),
    }
    p = manifest["parameters"]
    named = "pseudonymised (keyed hashes of ids)" if p.get("pseudonymised") else "by their ids"
    body = "".join(
        [
            f"<h1>Tasking pack — {escape(borough_name)} ({escape(code)})</h1>",
            f'<p class="note">As of {escape(manifest["as_of"])}; people named {named}; '
            f"targets from {escape(manifest['targets']['title'])}.</p>",
            figure_boxes(counts),
            _targets_section(tables["targets"], tables["target_charts"], code),
            neighbourhoods_section(
                tables["neighbourhoods"],
                "The borough's wards by their share of the whole force's crime harm in the "
                "last quarter",
            ),
            _borough_map(tables["neighbourhoods"], code, locations, outlines),
            _people_section(tables["offenders"], p.get("priority_weights", {}), manifest),
            _victims_section(tables["victims"], tables["marac"], manifest),
            changes_section(tables["changes"], manifest.get("previous_report")).replace(
                "Who is new, who moved", "What changed since the last pack"
            ),
            provenance(manifest),
        ]
    )
    return html_page(f"graphvc tasking pack, {borough_name}, as of {manifest['as_of']}", body)


def _borough_map(
    wards: pd.DataFrame,
    borough: str,
    locations: pd.DataFrame | None,
    outlines: Mapping[str, Any] | None,
) -> str:
    if locations is None:
        locations = pd.DataFrame(columns=["ward_code", "borough_code"])
    harm = dict(zip(wards["ward_code"].astype(str), wards["harm"].astype(float), strict=True))
    return borough_map_section(outlines, locations, borough, harm)


def _borough_names(tables: Mapping[str, pd.DataFrame]) -> dict[str, str]:
    places = tables["locations"].dropna(subset=["borough_code"]).drop_duplicates("borough_code")
    return dict(
        zip(places["borough_code"].astype(str), places["borough_name"].astype(str), strict=True)
    )


def _log_cuts(borough: str, sizes: Mapping[str, Mapping[str, int]]) -> None:
    """Say in the log which of the pack's lists ``--top`` cuts, as the page says it."""
    for table, size in sizes.items():
        if size["shown"] < size["qualified"]:
            log.info(
                "tasking pack %s: %s lists %d of %d; raise --top to list more",
                borough,
                table,
                size["shown"],
                size["qualified"],
            )


def write_tasking_pack(
    result: AnalysisResult,
    out_dir: str | Path,
    borough: str,
    *,
    targets: Targets | None = None,
    home: Path | None = None,
    top: int = 20,
    pseudonymise: bool = False,
    key: str | None = None,
    neo4j_version: Mapping[str, str] | None = None,
    database: str = "neo4j",
    audit_dir: Path | None = None,
    outlines: Mapping[str, Any] | None = None,
) -> Path:
    """Write ``borough``'s pack for the run ``result`` to ``out_dir/<borough>/<as-of>/``.

    ``targets`` default to the founding targets; a target on the MPS counts needs ``home``
    (the reference data). ``outlines`` (GeoJSON by level, from
    :func:`graphvc.geography.map_geography`) draw the borough and its wards on the page;
    ``top`` governs both lists of people, the offenders and the victims due for contact,
    and the page and the manifest's ``lists`` say how many of how many each shows. With ``audit_dir``, the pack and the people it lists are recorded in
    the audit trail there before it is written (and it is not written when they cannot be:
    :class:`graphvc.audit.AuditError`). Raises :class:`ConfigError` for an unknown borough or bad options
    and :class:`ReportError` when the folder cannot be written.
    """
    check_options(top=top, pseudonymise=pseudonymise, key=key)
    names_of = _borough_names(result.tables)
    if borough not in names_of:
        raise ConfigError(
            f"--borough {borough!r} is not a borough of the graph (e.g. {', '.join(sorted(names_of)[:3])})"
        )
    targets = targets or load_targets()
    parameters = result.parameters
    counts, moments, coverage = read_sources(
        targets, tables=result.tables, home=home, as_of=parameters.moment
    )
    evaluated = evaluate_targets(targets, counts, moments, coverage, areas=[borough])
    report, sizes = tasking_tables(result, borough, evaluated, top=top)
    _log_cuts(borough, sizes)
    fingerprint = key_id(key) if pseudonymise and key else None
    names = person_names(result.tables, key if fingerprint else None)
    if audit_dir is not None:
        listed = [i for t in ("offenders", "victims", "marac") for i in report[t]["person_id"]]
        audit.record(
            audit_dir,
            "report.write",
            person_ids=listed,
            what={
                "report": REPORT,
                "borough": borough,
                "out": str(Path(out_dir).absolute()),
                "top": top,
                "pseudonymised": pseudonymise,
                "parameters": parameters.as_dict(),
            },
        )
    for table in ("offenders", "victims", "marac"):
        report[table]["person_id"] = report[table]["person_id"].map(names).astype("string")
    out = Path(out_dir) / borough
    name = parameters.moment.date().isoformat()
    previous = folders.previous_report(
        out, name, comparable=comparable(REPORT, fingerprint, pseudonymise)
    )
    ranking = report["offenders"].set_index("person_id")["rank"]
    report["changes"] = rank_changes(
        report["offenders"], read_list(previous) if previous else None, ranking=ranking
    )
    targets_text = Path(targets.path).read_bytes() if targets.path else b""
    about = run_manifest(
        result,
        report=REPORT,
        top=top,
        pseudonymised=pseudonymise,
        key_id=fingerprint,
        database=database,
        neo4j_version=neo4j_version,
        previous=previous.name if previous else None,
    )
    about["borough"] = borough
    about["targets"] = {
        "title": targets.title,
        "file": Path(targets.path).name,
        "sha256": sha256(targets_text),
        "methods": METHODS,
    }
    about["lists"] = sizes
    ordered = {table: report[table] for table in PACK_TABLES}
    page = render_tasking(
        ordered,
        manifest=about,
        borough_name=names_of[borough],
        locations=result.tables["locations"],
        outlines=outlines,
    )
    with folders.staging_folder(out, name) as staged:
        try:
            folders.write_report_files(staged, ordered, page, about)
        except OSError as e:
            raise ReportError(f"cannot write tasking pack {borough}/{name} into {out}: {e}") from e
        published = folders.publish(staged, out, name)
    log.info("tasking pack %s %s written to %s", borough, name, published)
    return published


def build_tasking_packs(
    driver: neo4j.Driver,
    out_dir: str | Path,
    boroughs: Sequence[str] | None,
    parameters: AnalysisParameters | None = None,
    *,
    targets: Targets | None = None,
    home: Path | None = None,
    top: int = 20,
    pseudonymise: bool = False,
    key: str | None = None,
    database: str = "neo4j",
    audit_dir: Path | None = None,
) -> list[Path]:
    """Analyse the graph once and write the pack of each of ``boroughs`` (None: every
    borough of the graph); returns their folders. With ``home``, each page carries a map
    of its borough drawn on the graph's city (:func:`graphvc.geography.map_geography`)."""
    check_options(top=top, pseudonymise=pseudonymise, key=key)
    result = obtain_run(driver, parameters, database=database).result
    every = sorted(_borough_names(result.tables))
    chosen = list(boroughs) if boroughs else every
    version = server_version(driver, database=database)
    outlines = map_geography(home, every).for_report() if home is not None else None
    return [
        write_tasking_pack(
            result,
            out_dir,
            borough,
            targets=targets,
            home=home,
            top=top,
            pseudonymise=pseudonymise,
            key=key,
            neo4j_version=version,
            database=database,
            audit_dir=audit_dir,
            outlines=outlines,
        )
        for borough in chosen
    ]
