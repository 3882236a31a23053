// title: Stored analysis runs
// description: Every (:AnalysisRun), newest first: what the app lists and reads its tables by.
// mode: read
// params: none
MATCH (r:AnalysisRun)
RETURN r.id AS id, r.finished_at AS finished_at, r.parameters AS parameters,
       r.summary AS summary, r.rows AS rows, r.ranked AS ranked, r.version AS version
ORDER BY r.finished_at DESC, r.id DESC
