// title: Withdraw the scores of a run that was not stored
// description: Remove the score properties a run stamped $run_at wrote before it was
//   interrupted or failed, unless an (:AnalysisRun) of that time is listed (its node was
//   written after all): the nodes then keep the scores of the listed run or none, never the
//   scores of a run no one can list. {{NODE}} is an allow-listed label
//   (graphvc.db.read_cypher); $cleared maps every score property to null.
// mode: write
// params: run_at ISO date-time; cleared map of score property -> null
OPTIONAL MATCH (r:AnalysisRun {finished_at: datetime($run_at)})
WITH count(r) AS listed
WHERE listed = 0
MATCH (n:{{NODE}})
WHERE n.scored_at = datetime($run_at)
SET n += $cleared, n.scored_at = null
