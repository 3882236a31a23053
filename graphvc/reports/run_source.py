"""Where a report's run comes from: the stored run ``graphvc analyse`` left, when it is the
run asked for, or an analysis made now.

The measures of a run (betweenness, PageRank, communities and the rest) are most of its
cost; ``graphvc analyse`` stores them (:mod:`graphvc.stored_runs`). A report of the same
parameters on the same graph reads them back instead of measuring again. What a stored run
does not hold is rebuilt from the graph as the analysis builds it
(:func:`graphvc.runs.run_network`): the contract's tables, the person network and its
perpetrators' incidents. So a report from a stored run has the same tables, byte for byte,
as one analysed now.

The newest stored run is used when its parameters are those asked for (the as-of date
resolved first) and the graph still gives the counts the run recorded (incidents, those in
the window, people and links in the network); otherwise the graph is analysed now.
"""

from __future__ import annotations

import logging
from pathlib import Path

import neo4j
import pandas as pd

from graphvc.analysis.events import rolling_window
from graphvc.errors import RunError
from graphvc.runs import AnalysisParameters, AnalysisResult, analyse, read_run_input, run_network
from graphvc.stored_runs import StoredRun, list_runs, read_run_table, recorded_parameters

__all__ = ["ANALYSED_NOW", "report_run", "stored_result"]

log = logging.getLogger(__name__)

#: The source of a run analysed for the report itself.
ANALYSED_NOW = "analysed now"
#: Columns a stored run adds to the run's own tables, for the pages.
_PAGE_COLUMNS = {
    "places": ("latitude", "longitude"),
    "repeat_victims": ("assessment_tool", "assessment_level", "assessed_at", "assessments"),
}
#: The summary counts a stored run must share with the graph now to stand for it.
_SAME_GRAPH = ("incidents", "incidents_in_window", "people_in_network", "network_links")


def stored_result(
    run: StoredRun,
    runs_dir: Path,
    tables: dict[str, pd.DataFrame],
    parameters: AnalysisParameters,
) -> AnalysisResult | None:
    """The run ``run`` as an :class:`~graphvc.runs.AnalysisResult` of the graph's
    ``tables``: its measures read from ``runs_dir``, the network rebuilt from ``tables``.

    None when the graph no longer gives the counts the run recorded (it changed since).
    Raises :class:`RunError` when a table of the run cannot be read.
    """
    tables, incidents, G, events = run_network(tables, parameters)
    start, end = rolling_window(parameters.moment, parameters.window_days)
    now = {
        "incidents": len(incidents),
        "incidents_in_window": int(
            ((incidents["occurred_at"] >= start) & (incidents["occurred_at"] < end)).sum()
        ),
        "people_in_network": G.number_of_nodes(),
        "network_links": G.number_of_edges(),
    }
    changed = {k: (run.summary.get(k), v) for k, v in now.items() if run.summary.get(k) != v}
    if changed:
        log.info("report: the graph changed since run %s (recorded, now: %s)", run.id, changed)
        return None

    def read(name: str, page_columns: tuple[str, ...] = ()) -> pd.DataFrame:
        frame = read_run_table(runs_dir, run, name)
        return frame.drop(columns=[c for c in page_columns if c in frame])

    return AnalysisResult(
        parameters=parameters,
        tables=tables,
        graph=G,
        events=events,
        people=read("people"),
        places={
            level: read(f"places_{level}", _PAGE_COLUMNS["places"])
            for level in ("location", "ward", "borough")
        },
        repeat_victims=read("repeat_victims", _PAGE_COLUMNS["repeat_victims"]),
        domestic_repeats=read("domestic_repeats"),
        exposure=read("exposure"),
        overlap=read("overlap"),
        escalation=read("escalation"),
        summary=run.summary,
        timings={},
    )


def report_run(
    driver: neo4j.Driver,
    parameters: AnalysisParameters | None = None,
    *,
    runs_dir: Path | None = None,
    database: str = "neo4j",
) -> tuple[AnalysisResult, str]:
    """The run a report of ``parameters`` reports, and where it came from: ``"stored run
    <id>"`` (the newest stored run in ``runs_dir``, when it is the run asked for on the
    graph as it is) or :data:`ANALYSED_NOW`.

    Raises as :func:`graphvc.runs.run_analysis`.
    """
    parameters, tables = read_run_input(driver, parameters, database=database)
    runs = list_runs(driver, database=database) if runs_dir is not None else []
    if runs and runs_dir is not None and runs[0].parameters == recorded_parameters(parameters):
        try:
            result = stored_result(runs[0], runs_dir, tables, parameters)
        except RunError as e:
            log.info("report: stored run %s cannot be read (%s)", runs[0].id, e)
            result = None
        if result is not None:
            log.info("report: from stored run %s", runs[0].id)
            return result, f"stored run {runs[0].id}"
    log.info("report: analysing the graph now")
    return analyse(tables, parameters), ANALYSED_NOW
