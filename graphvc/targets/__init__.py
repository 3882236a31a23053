"""Performance against targets: the targets file, what each target counts, and the verdict.

Three steps, a module each:

:mod:`graphvc.targets.file`
    targets declared as data in a TOML file, read and checked (:func:`load_targets`);
:mod:`graphvc.targets.counts`
    the count tables a target is judged on, from the graph's incidents
    (:func:`incident_counts`) or the published MPS counts (:func:`mps_incident_counts`),
    and :func:`read_sources` to read those a targets file needs;
:mod:`graphvc.targets.evaluation`
    each target's baseline, current figure, change with its confidence interval
    (:mod:`graphvc.analysis.targets`) and state, and its monthly control charts
    (:func:`evaluate_targets`);
:mod:`graphvc.targets.reading`
    what an interval says in words (:func:`interval_reading`: "too few events to judge"), and
    why a row has no data (:func:`no_data_reason`).

Their display (text, tables, the control chart as SVG) is :mod:`graphvc.reports.targets`.
"""

from graphvc.targets.counts import (
    COUNT_COLUMNS,
    MPS_END,
    UNUSABLE_MPS_YEARS,
    incident_counts,
    mps_incident_counts,
    placed_incidents,
    read_sources,
)
from graphvc.targets.evaluation import (
    FORCE,
    METHODS,
    evaluate,
    evaluate_graph_targets,
    evaluate_targets,
    monthly_charts,
    signals_summary,
    state_counts,
    with_signals,
)
from graphvc.targets.file import (
    DEFAULT_TARGETS,
    MPS_TARGETS,
    OFFENCES,
    RATES,
    SHIPPED_TARGETS,
    SOURCES,
    Target,
    Targets,
    load_targets,
    resolve_period,
)
from graphvc.targets.reading import interval_reading, no_data_reason, reading_of

__all__ = [
    "COUNT_COLUMNS",
    "DEFAULT_TARGETS",
    "FORCE",
    "METHODS",
    "MPS_END",
    "MPS_TARGETS",
    "OFFENCES",
    "RATES",
    "SHIPPED_TARGETS",
    "SOURCES",
    "UNUSABLE_MPS_YEARS",
    "Target",
    "Targets",
    "evaluate",
    "evaluate_graph_targets",
    "evaluate_targets",
    "incident_counts",
    "interval_reading",
    "load_targets",
    "monthly_charts",
    "mps_incident_counts",
    "no_data_reason",
    "placed_incidents",
    "read_sources",
    "reading_of",
    "resolve_period",
    "signals_summary",
    "state_counts",
    "with_signals",
]
