// title: Write person scores back
// description: Set each person's analysis scores as properties (score_*), stamped with the run's time.
//   Scores of an earlier run that this run did not produce are removed first by clear_scores.
// mode: write
// params: rows list of {id, scores map}; run_at ISO date-time (a parameter of the whole batch)
UNWIND $rows AS row
MATCH (p:Person {id: row.id})
SET p += row.scores, p.scored_at = datetime($run_at)
