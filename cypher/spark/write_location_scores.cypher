// title: Write location scores back through the Spark connector
// description: The connector's twin of analysis/write_location_scores.cypher: harm and
//   incident counts on locations, from one row per location, stamped with the run's time
//   (graphvc.spark.write). A score the run did not give (null) is removed.
// mode: write
// params: event the connector's row {id location id, a score_* property per score, run_at
//   ISO date-time}; the connector runs the file as UNWIND $events AS event, batch.size rows to
//   a transaction, and takes no other parameter.
MATCH (n:Location {id: event.id})
SET n.score_incidents = event.score_incidents,
    n.score_harm = event.score_harm,
    n.score_harm_rank = event.score_harm_rank,
    n.score_repeat_incidents = event.score_repeat_incidents,
    n.scored_at = datetime(event.run_at)
