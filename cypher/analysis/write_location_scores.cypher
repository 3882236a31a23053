// title: Write location scores back
// description: Set harm and incident counts on locations, stamped with the run's time.
// mode: write
// params: rows list of {id, scores map}; run_at ISO date-time
UNWIND $rows AS row
MATCH (n:Location {id: row.id})
SET n += row.scores, n.scored_at = datetime($run_at)
