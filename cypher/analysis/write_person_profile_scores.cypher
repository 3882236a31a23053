// title: Write person profile scores back
// description: Set each person's escalation, network exposure and victim-offender overlap as
//   properties (score_*), stamped with the run's time (as the first part was): the second part
//   of a person's scores, after write_person_ranking_scores.cypher. A score the run did not
//   give (null) is removed. Scores of people this run did not score are removed by
//   clear_scores.
// mode: write
// params: rows list of batches {ids list of person ids, scores map of score property -> list of
//   values, one per id, null where none}; run_at ISO date-time (a parameter of the whole batch).
UNWIND $rows AS batch
UNWIND range(0, size(batch.ids) - 1) AS k
MATCH (p:Person {id: batch.ids[k]})
SET p.score_escalated = batch.scores.score_escalated[k],
    p.score_exposure_distance = batch.scores.score_exposure_distance[k],
    p.score_exposure_victims_1 = batch.scores.score_exposure_victims_1[k],
    p.score_overlap_class = batch.scores.score_overlap_class[k],
    p.scored_at = datetime($run_at)
