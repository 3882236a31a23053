// title: Write location scores back
// description: Set harm and incident counts on locations, stamped with the run's time; a score
//   the run did not give (null) is removed.
// mode: write
// params: rows list of batches {ids list of location ids, scores map of score property -> list
//   of values, one per id}; run_at ISO date-time
UNWIND $rows AS batch
UNWIND range(0, size(batch.ids) - 1) AS k
MATCH (n:Location {id: batch.ids[k]})
SET n.score_incidents = batch.scores.score_incidents[k],
    n.score_harm = batch.scores.score_harm[k],
    n.score_harm_rank = batch.scores.score_harm_rank[k],
    n.score_repeat_incidents = batch.scores.score_repeat_incidents[k],
    n.scored_at = datetime($run_at)
