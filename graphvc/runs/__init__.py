"""Runs: the one way to obtain an analysis run (:func:`obtain_run`), what it depends on
(:class:`AnalysisParameters`) and what it produces (:class:`AnalysisResult`).

:mod:`graphvc.runs.parameters` holds the parameters and their only defaults;
:mod:`graphvc.runs.stages` the pure stages that turn the graph's tables into every score
(:func:`analyse` runs them on tables in hand); :mod:`graphvc.runs.pages` the tables a run
keeps for the app's pages (not imported here: it loads the targets' statistics);
:mod:`graphvc.runs.obtain` the run's steps from reading the graph to storing the run,
through :mod:`graphvc.scores` (write back) and :mod:`graphvc.stored_runs` (store).
"""

from graphvc.runs.obtain import (
    ANALYSED_NOW,
    Run,
    obtain_run,
    read_run_input,
    record_run,
    stored_result,
)
from graphvc.runs.parameters import (
    DEFAULT_REPEAT_WINDOW_DAYS,
    DEFAULT_TIE_WEIGHTS,
    DEFAULT_WINDOW_DAYS,
    AnalysisParameters,
    choose_ties,
    parse_as_of,
)
from graphvc.runs.stages import (
    EXACT_BETWEENNESS_LIMIT,
    AnalysisResult,
    Clock,
    Profiles,
    Ranking,
    RunNetwork,
    analyse,
    complete_run,
    profile_people,
    rank_people,
    run_network,
)

__all__ = [
    "ANALYSED_NOW",
    "DEFAULT_REPEAT_WINDOW_DAYS",
    "DEFAULT_TIE_WEIGHTS",
    "DEFAULT_WINDOW_DAYS",
    "EXACT_BETWEENNESS_LIMIT",
    "AnalysisParameters",
    "AnalysisResult",
    "Clock",
    "Profiles",
    "Ranking",
    "Run",
    "RunNetwork",
    "analyse",
    "choose_ties",
    "complete_run",
    "obtain_run",
    "parse_as_of",
    "profile_people",
    "rank_people",
    "read_run_input",
    "record_run",
    "run_network",
    "stored_result",
]
