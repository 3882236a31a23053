// title: Write person ranking scores back through the Spark connector
// description: The connector's twin of analysis/write_person_ranking_scores.cypher: the same
//   properties set on the same people, from one row per person, stamped with the run's time
//   (graphvc.spark.write). A score the run did not give (null) is removed.
// mode: write
// params: event the connector's row {id person id, a score_* property per score, run_at ISO
//   date-time}; the connector runs the file as UNWIND $events AS event, batch.size rows to a
//   transaction, and takes no other parameter.
MATCH (p:Person {id: event.id})
SET p.score_priority_rank = event.score_priority_rank,
    p.score_priority = event.score_priority,
    p.score_rfg = event.score_rfg,
    p.score_degree = event.score_degree,
    p.score_weighted_degree = event.score_weighted_degree,
    p.score_betweenness = event.score_betweenness,
    p.score_pagerank = event.score_pagerank,
    p.score_harm_pagerank = event.score_harm_pagerank,
    p.score_eigenvector = event.score_eigenvector,
    p.score_k_core = event.score_k_core,
    p.score_community = event.score_community,
    p.scored_at = datetime(event.run_at)
