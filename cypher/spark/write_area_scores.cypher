// title: Write area scores back through the Spark connector
// description: The connector's twin of analysis/write_area_scores.cypher: harm and incident
//   counts on wards and boroughs (keyed by code), from one row per area, stamped with the
//   run's time (graphvc.spark.write). A score the run did not give (null) is removed.
//   {{AREA}} is Ward or Borough (graphvc.db.read_cypher).
// mode: write
// params: event the connector's row {id area code, a score_* property per score, run_at ISO
//   date-time}; the connector runs the file as UNWIND $events AS event, batch.size rows to a
//   transaction, and takes no other parameter.
MATCH (n:{{AREA}} {code: event.id})
SET n.score_incidents = event.score_incidents,
    n.score_harm = event.score_harm,
    n.score_harm_rank = event.score_harm_rank,
    n.score_repeat_incidents = event.score_repeat_incidents,
    n.scored_at = datetime(event.run_at)
