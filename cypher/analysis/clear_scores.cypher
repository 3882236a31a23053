// title: Clear scores of an earlier run
// description: Remove the score properties from nodes scored before this run, so no stale score
//   survives. graphvc replaces NODE_LABEL with an allow-listed label and SCORE_KEYS with the
//   score property names (checked to be plain identifiers).
// mode: write
// params: run_at ISO date-time
MATCH (n:NODE_LABEL)
WHERE n.scored_at IS NOT NULL AND n.scored_at <> datetime($run_at)
REMOVE SCORE_KEYS, n.scored_at
