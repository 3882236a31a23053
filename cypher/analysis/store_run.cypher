// title: Store an analysis run
// description: The (:AnalysisRun) node of a run whose tables are already in GRAPHVC_RUNS_DIR/<id>/:
//   when it finished, its as-of date, window, seed and tie layers, and as JSON text its
//   windows, parameters, summary and table sizes (graphvc.stored_runs.record_run).
// mode: write
// params: id run id; finished_at ISO date-time; as_of ISO date; window_days, seed, ranked integers;
//   ties, windows, parameters, summary, rows JSON text; version graphvc's version
CREATE (r:AnalysisRun {id: $id})
SET r.finished_at = datetime($finished_at), r.as_of = date($as_of),
    r.window_days = $window_days, r.seed = $seed, r.ties = $ties, r.windows = $windows,
    r.parameters = $parameters, r.summary = $summary, r.rows = $rows, r.ranked = $ranked,
    r.version = $version
