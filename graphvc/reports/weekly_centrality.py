"""The scheduled (weekly) centrality report: who is central now, who is new, who moved, which
victims are repeating and which places carry the harm.

:func:`build_report` runs the analysis (:func:`graphvc.runs.obtain_run`, the same run as
``graphvc analyse`` and the app) and :func:`write_report` writes one dated folder
(see :mod:`graphvc.reports.folders`)::

    offenders.csv        the top of the priority list, every part of the score as a column,
                         and since when each person is listed and when that is due for review;
                         their contagion risk when `graphvc risk contagion` wrote one
    changes.csv          entered, left, moved up or down, against the previous report
    review.csv           the listed people due for review, and those with no offending in
                         the last months, recommended for removal (:mod:`.review`)
    repeat_victims.csv   the victims victimised most often in the year to the as-of date
    places.csv           the locations, wards and boroughs carrying the most harm
    neighbourhoods.csv   high-impact neighbourhoods: wards in the force's top decile by harm
                         in the last quarter or one of the three before
    communities.csv      the network communities of the listed people
    exposure.csv         people within two network steps of a gun or knife victim
    near_repeats.csv     the Knox near-repeat test of the window's located incidents
    trend.csv            incidents and harm per month and continuum category
    proportionality.csv  the lists' make-up by age band, sex and ethnicity beside their pools
    report.html          one self-contained page of all of it, with charts
    manifest.json        parameters, versions, data counts and hashes, to trace every figure

with a Parquet copy of every table. The same data, parameters and seed give the same bytes.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import neo4j
import pandas as pd

from graphvc.db import server_version
from graphvc.errors import ConfigError, ReportError
from graphvc.predict.contagion_store import read_contagion_risks
from graphvc.reports import folders
from graphvc.reports.about import list_size
from graphvc.reports.changes import comparable, rank_changes, read_list
from graphvc.reports.html import render_report
from graphvc.reports.manifest import run_manifest
from graphvc.reports.pseudonyms import MIN_KEY_LENGTH, key_id, person_names
from graphvc.reports.review import (
    DEFAULT_INACTIVE_MONTHS,
    DEFAULT_REVIEW_DAYS,
    earlier_lists,
    last_offending,
    listing_dates,
    review_by,
    review_table,
)
from graphvc.reports.tables import core_network, report_tables
from graphvc.runs import ANALYSED_NOW, AnalysisParameters, AnalysisResult, obtain_run

__all__ = ["REPORT", "REPORT_TABLES", "build_report", "check_options", "write_report"]

log = logging.getLogger(__name__)

REPORT = "centrality"
#: The tables of the report, in the order of the page.
REPORT_TABLES = (
    "offenders",
    "changes",
    "review",
    "repeat_victims",
    "places",
    "near_repeats",
    "neighbourhoods",
    "communities",
    "exposure",
    "trend",
    "proportionality",
)
#: The scores whose distribution over everyone scored the page draws.
_DISTRIBUTIONS = ("priority", "rfg", "betweenness", "harm_pagerank")


def check_options(
    *,
    top: int = 20,
    pseudonymise: bool = False,
    key: str | None = None,
    review_days: int = DEFAULT_REVIEW_DAYS,
    inactive_months: int = DEFAULT_INACTIVE_MONTHS,
) -> None:
    """Check a report's options before any work.

    Raises :class:`ConfigError` with a one-line reason: a list length, review period or
    number of months below 1, ``pseudonymise`` without a key (``GRAPHVC_PSEUDONYM_KEY``) or with one shorter than
    :data:`~graphvc.reports.pseudonyms.MIN_KEY_LENGTH`.

    Examples
    --------
    >>> check_options(pseudonymise=True)
    Traceback (most recent call last):
    ...
    graphvc.errors.ConfigError: --pseudonymise needs GRAPHVC_PSEUDONYM_KEY: set it to a secret of at least 16 characters, the same for every run
    """
    if not (isinstance(top, int) and top >= 1):
        raise ConfigError(f"--top {top!r} must be a whole number, at least 1")
    if not (isinstance(review_days, int) and review_days >= 1):
        raise ConfigError(f"--review-days {review_days!r} must be a whole number, at least 1")
    if not (isinstance(inactive_months, int) and inactive_months >= 1):
        raise ConfigError(
            f"--inactive-months {inactive_months!r} must be a whole number, at least 1"
        )
    if pseudonymise and not key:
        raise ConfigError(
            "--pseudonymise needs GRAPHVC_PSEUDONYM_KEY: set it to a secret of at least "
            f"{MIN_KEY_LENGTH} characters, the same for every run"
        )
    if pseudonymise and key is not None and len(key) < MIN_KEY_LENGTH:
        raise ConfigError(
            f"GRAPHVC_PSEUDONYM_KEY is {len(key)} characters long; use at least {MIN_KEY_LENGTH}"
        )


def write_report(
    result: AnalysisResult,
    out_dir: str | Path,
    *,
    top: int = 20,
    pseudonymise: bool = False,
    key: str | None = None,
    review_days: int = DEFAULT_REVIEW_DAYS,
    inactive_months: int = DEFAULT_INACTIVE_MONTHS,
    neo4j_version: Mapping[str, str] | None = None,
    database: str = "neo4j",
    outlines: Mapping[str, Any] | None = None,
    source: str = ANALYSED_NOW,
    contagion_risk: pd.Series | None = None,
) -> Path:
    """Write the report of the run ``result`` to ``out_dir/<as-of date>/``.

    Each listed person carries ``listed_since`` (the first report of their unbroken run on
    the list, read from the earlier comparable reports in ``out_dir``) and ``review_by``
    (``review_days`` later); ``review.csv`` lists those due for review and those with no
    offending in ``inactive_months`` months (:mod:`graphvc.reports.review`).

    ``outlines`` (GeoJSON by level, from :func:`graphvc.geography.map_geography`) draws the
    boroughs' harm on a map in the page. ``contagion_risk`` (by person id, from
    :func:`graphvc.predict.contagion_store.read_contagion_risks`) adds the column
    ``contagion_risk`` to the people listed. ``source`` (where the run came from, see
    :func:`graphvc.runs.obtain_run`) goes into the manifest.

    The report is written into a staging folder in ``out_dir`` and renamed into place only
    when complete; ``out_dir/latest`` then points at the newest complete report. A failure
    leaves no folder behind and ``latest`` unmoved. Changes are counted against the newest
    complete report dated before this one that names people the same way (pseudonymised with
    the same key, or not).

    Raises :class:`ConfigError` for bad options and :class:`ReportError` when ``out_dir``
    or a file in it cannot be written.
    """
    check_options(
        top=top,
        pseudonymise=pseudonymise,
        key=key,
        review_days=review_days,
        inactive_months=inactive_months,
    )
    parameters = result.parameters
    name = parameters.moment.date().isoformat()
    out = Path(out_dir)
    report = report_tables(result, top=top)
    if contagion_risk is not None:
        listed = report["offenders"]
        listed["contagion_risk"] = listed["person_id"].map(contagion_risk).astype(float)

    fingerprint = key_id(key) if pseudonymise and key else None
    tables = result.tables
    names = person_names(tables, key if fingerprint else None)
    ranking = result.people["rank"].rename(index=lambda person: names[str(person)])
    core = core_network(result.graph, report["offenders"], names)
    for table in ("offenders", "repeat_victims", "exposure"):
        report[table]["person_id"] = report[table]["person_id"].map(names).astype("string")
    same_naming = comparable(REPORT, fingerprint, pseudonymise)
    previous = folders.previous_report(out, name, comparable=same_naming)
    report["changes"] = rank_changes(
        report["offenders"], read_list(previous) if previous else None, ranking=ranking
    )
    offenders = report["offenders"]
    since = listing_dates(
        offenders["person_id"], name, earlier_lists(out, name, comparable=same_naming)
    )
    offenders.insert(3, "listed_since", since.reindex(offenders["person_id"]).to_numpy())
    offenders.insert(4, "review_by", review_by(offenders["listed_since"], review_days))
    offended = last_offending(tables["incidents"], tables["involvements"], end=parameters.moment)
    report["review"] = review_table(
        offenders,
        offended.rename(index=lambda person: names[str(person)]),
        as_of=name,
        inactive_months=inactive_months,
    )
    about = run_manifest(
        result,
        report=REPORT,
        top=top,
        pseudonymised=pseudonymise,
        key_id=fingerprint,
        database=database,
        neo4j_version=neo4j_version,
        previous=previous.name if previous else None,
        options={"review_days": review_days, "inactive_months": inactive_months},
        source=source,
    )
    about["lists"] = _list_sizes(result, report)
    scores = result.people[[c for c in _DISTRIBUTIONS if c in result.people]]
    ordered = {table: report[table] for table in REPORT_TABLES}
    page = render_report(
        ordered, manifest=about, scores=scores, core=core, seed=parameters.seed, outlines=outlines
    )
    with folders.staging_folder(out, name) as staged:
        try:
            folders.write_report_files(staged, ordered, page, about)
        except OSError as e:
            raise ReportError(f"cannot write report {name} into {out}: {e}") from e
        published = folders.publish(staged, out, name)
    log.info(
        "report %s: %d people listed, %d due for review or recommended for removal, %s; "
        "written to %s",
        name,
        len(report["offenders"]),
        len(report["review"]),
        f"changes against {previous.name}" if previous else "no earlier report to compare",
        published,
    )
    return published


def _list_sizes(result: AnalysisResult, report: Mapping[str, Any]) -> dict[str, Any]:
    """How many rows each list cut at ``top`` shows, and how many qualified for it."""
    places = report["places"]
    return {
        "offenders": list_size(len(report["offenders"]), len(result.people)),
        "repeat_victims": list_size(len(report["repeat_victims"]), len(result.repeat_victims)),
        **{
            f"places_{level}": list_size((places["level"] == level).sum(), len(found))
            for level, found in result.places.items()
        },
    }


def build_report(
    driver: neo4j.Driver,
    out_dir: str | Path,
    parameters: AnalysisParameters | None = None,
    *,
    top: int = 20,
    pseudonymise: bool = False,
    key: str | None = None,
    review_days: int = DEFAULT_REVIEW_DAYS,
    inactive_months: int = DEFAULT_INACTIVE_MONTHS,
    database: str = "neo4j",
    outlines: Mapping[str, Any] | None = None,
    runs_dir: Path | None = None,
) -> Path:
    """Obtain the run (:func:`graphvc.runs.obtain_run`: the newest stored run
    in ``runs_dir`` when it is the one asked for, else the graph analysed now) and write its
    report (:func:`write_report`); returns the report's folder.

    Raises
    ------
    ConfigError
        Bad options (see :func:`check_options`).
    AnalysisError
        The graph holds neither incidents nor associations.
    DatabaseError
        Neo4j is unreachable or fails a query.
    ReportError
        ``out_dir`` or a file in it cannot be written.
    """
    check_options(
        top=top,
        pseudonymise=pseudonymise,
        key=key,
        review_days=review_days,
        inactive_months=inactive_months,
    )
    log.info("report: reading the graph (database %r)", database)
    result, source, _, _ = obtain_run(driver, parameters, runs_dir=runs_dir, database=database)
    return write_report(
        result,
        out_dir,
        top=top,
        pseudonymise=pseudonymise,
        key=key,
        review_days=review_days,
        inactive_months=inactive_months,
        neo4j_version=server_version(driver, database=database),
        database=database,
        outlines=outlines,
        source=source,
        contagion_risk=read_contagion_risks(driver, database=database),
    )
