"""The centrality report's pipeline, behind ``graphvc report centrality`` and ``graphvc demo``:
obtain the run and write its report, the map drawn on the graph's city and the people it lists
recorded in the audit trail first.

The command line only parses options, opens the driver and prints; what happens between
lives here, so a scheduler or the app can do the same with a driver of its own.
"""

from __future__ import annotations

from pathlib import Path

import neo4j

from graphvc import audit
from graphvc.config import Settings
from graphvc.db import server_version
from graphvc.geography import map_geography
from graphvc.predict.contagion_store import read_contagion_risks
from graphvc.reports.tables import offenders_table, repeat_victims_table
from graphvc.reports.weekly_centrality import write_report
from graphvc.runs import ANALYSED_NOW, AnalysisParameters, AnalysisResult, obtain_run

__all__ = ["centrality_report", "write_audited_report"]


def write_audited_report(
    driver: neo4j.Driver,
    settings: Settings,
    result: AnalysisResult,
    out_dir: Path,
    *,
    top: int = 20,
    pseudonymise: bool = False,
    review_days: int | None = None,
    inactive_months: int = 12,
    source: str = ANALYSED_NOW,
) -> Path:
    """Write the weekly centrality report of ``result`` (from ``source``) into ``out_dir``
    (:func:`graphvc.reports.write_report`), its map drawn on the graph's city; returns the
    report's folder.

    The people the report lists are recorded in the audit trail before it is written.
    ``review_days`` defaults to ``GRAPHVC_REVIEW_DAYS``.
    """
    listed = [
        *offenders_table(result.people, top)["person_id"],
        *repeat_victims_table(result.repeat_victims, top)["person_id"],
    ]
    what = {
        "report": "centrality",
        "out": str(out_dir.absolute()),
        "top": top,
        "pseudonymised": pseudonymise,
        "parameters": result.parameters.as_dict(),
    }
    audit.record(settings.audit_dir, "report.write", person_ids=listed, what=what)
    boroughs = result.tables["locations"]["borough_code"].dropna().unique()
    city = map_geography(settings.home, boroughs)
    return write_report(
        result,
        out_dir,
        top=top,
        pseudonymise=pseudonymise,
        key=settings.pseudonym_key,
        review_days=settings.review_days if review_days is None else review_days,
        inactive_months=inactive_months,
        neo4j_version=server_version(driver, database=settings.neo4j_database),
        database=settings.neo4j_database,
        outlines=city.for_report(),
        source=source,
        contagion_risk=read_contagion_risks(driver, database=settings.neo4j_database),
    )


def centrality_report(
    driver: neo4j.Driver,
    settings: Settings,
    parameters: AnalysisParameters,
    out_dir: Path,
    *,
    top: int = 20,
    pseudonymise: bool = False,
    review_days: int | None = None,
    inactive_months: int = 12,
) -> Path:
    """Obtain the run of ``parameters`` (:func:`graphvc.runs.obtain_run`: the newest stored
    run when it is the one asked for, else the graph analysed now) and write its report
    (:func:`write_audited_report`); returns the report's folder."""
    result, source, _, _ = obtain_run(
        driver, parameters, runs_dir=settings.runs_dir, database=settings.neo4j_database
    )
    return write_audited_report(
        driver,
        settings,
        result,
        out_dir,
        top=top,
        pseudonymise=pseudonymise,
        review_days=review_days,
        inactive_months=inactive_months,
        source=source,
    )
