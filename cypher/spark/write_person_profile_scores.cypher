// title: Write person profile scores back through the Spark connector
// description: The connector's twin of analysis/write_person_profile_scores.cypher: each
//   person's escalation, network exposure and victim-offender overlap, from one row per
//   person, stamped with the run's time (graphvc.spark.write). A score the run did not give
//   (null) is removed.
// mode: write
// params: event the connector's row {id person id, a score_* property per score, run_at ISO
//   date-time}; the connector runs the file as UNWIND $events AS event, batch.size rows to a
//   transaction, and takes no other parameter.
MATCH (p:Person {id: event.id})
SET p.score_escalated = event.score_escalated,
    p.score_exposure_distance = event.score_exposure_distance,
    p.score_exposure_victims_1 = event.score_exposure_victims_1,
    p.score_overlap_class = event.score_overlap_class,
    p.scored_at = datetime(event.run_at)
