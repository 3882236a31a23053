// title: Clear scores of an earlier run
// description: Remove the score properties from nodes scored before this run, so no stale score
//   survives. {{NODE}} is an allow-listed label (graphvc.db.read_cypher); $cleared maps every
//   score property to null, and setting a property to null removes it.
// mode: write
// params: run_at ISO date-time; cleared map of score property -> null
MATCH (n:{{NODE}})
WHERE n.scored_at IS NOT NULL AND n.scored_at <> datetime($run_at)
SET n += $cleared, n.scored_at = null
