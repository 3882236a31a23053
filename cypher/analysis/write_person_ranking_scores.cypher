// title: Write person ranking scores back
// description: Set each person's priority, its parts and network measures as properties
//   (score_*), stamped with the run's time: the first part of a person's scores, which a run
//   writes as soon as the people are ranked; write_person_profile_scores.cypher then writes
//   the rest. Stamped already, so a node left with this part alone (a run that failed between
//   the two) is cleared by the next run's clear_scores. A score the run did not give (null)
//   is removed.
// mode: write
// params: rows list of batches {ids list of person ids, scores map of score property -> list of
//   values, one per id, null where none}; run_at ISO date-time (a parameter of the whole batch).
//   Columns rather than one map per person: 1.41 times faster for the 203,183 people scored at
//   1,000,000 incidents (bench/bench_write_back.py).
UNWIND $rows AS batch
UNWIND range(0, size(batch.ids) - 1) AS k
MATCH (p:Person {id: batch.ids[k]})
SET p.score_priority_rank = batch.scores.score_priority_rank[k],
    p.score_priority = batch.scores.score_priority[k],
    p.score_rfg = batch.scores.score_rfg[k],
    p.score_degree = batch.scores.score_degree[k],
    p.score_weighted_degree = batch.scores.score_weighted_degree[k],
    p.score_betweenness = batch.scores.score_betweenness[k],
    p.score_pagerank = batch.scores.score_pagerank[k],
    p.score_harm_pagerank = batch.scores.score_harm_pagerank[k],
    p.score_eigenvector = batch.scores.score_eigenvector[k],
    p.score_k_core = batch.scores.score_k_core[k],
    p.score_community = batch.scores.score_community[k],
    p.scored_at = datetime($run_at)
