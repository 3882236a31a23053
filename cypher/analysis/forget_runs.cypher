// title: Forget old analysis runs
// description: Delete the (:AnalysisRun) nodes beyond the newest $keep and return their ids, so
//   their folders can be removed too (the retention of graphvc.stored_runs.record_run).
// mode: write
// params: keep integer, at least 1
MATCH (r:AnalysisRun)
WITH r ORDER BY r.finished_at DESC, r.id DESC
SKIP $keep
WITH r, r.id AS id
DELETE r
RETURN id
