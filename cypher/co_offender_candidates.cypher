// title: Candidate co-offenders of a person (the simple lead)
// description: People two steps from $person_id who have not offended with them: reached
//   through someone who offended with them (offender or suspect in the same incident within
//   [$start, $end)) or is an intelligence associate of theirs, ranked by how many such people
//   they share with $person_id (common neighbours). The simple lead Cypher can give: the
//   random walk behind the explorer's "Likely co-offenders" (graphvc.predict.co_offenders)
//   weighs every path and tie strength, and `graphvc backtest co-offenders` measures both; via
//   lists the people in between in id order. A lead for an analyst to check, never a decision.
// team: gangs and firearms
// param person_id: string, required, example "P2" -- the person's id
// param start: datetime, default null, example "2024-01-01T00:00:00" -- window start, inclusive (London time unless it has an offset)
// param end: datetime, default null, example "2025-01-03T00:00:00" -- window end, exclusive
// param limit: integer, default 25, min 1, max 1000 -- the most rows returned
// column candidate_id: the candidate's person id
// column common_neighbours: how many people tie both to $person_id (shared offending or association)
// column via: the ids of those people, sorted
// column associate: true when the candidate is already an intelligence associate of $person_id
// mode: read
MATCH (p:Person {id: $person_id})
CALL (p) {
  MATCH (p)-[:OFFENDER_IN|SUSPECT_IN]->(i:Incident)<-[:OFFENDER_IN|SUSPECT_IN]-(m:Person)
  WHERE m <> p
    AND ($start IS NULL OR i.occurred_at >= datetime($start))
    AND ($end IS NULL OR i.occurred_at < datetime($end))
  RETURN m
  UNION
  MATCH (p)-[:ASSOCIATE_OF]-(m:Person)
  WHERE m <> p
  RETURN m
}
CALL (p, m) {
  MATCH (m)-[:OFFENDER_IN|SUSPECT_IN]->(j:Incident)<-[:OFFENDER_IN|SUSPECT_IN]-(q:Person)
  WHERE ($start IS NULL OR j.occurred_at >= datetime($start))
    AND ($end IS NULL OR j.occurred_at < datetime($end))
  RETURN q
  UNION
  MATCH (m)-[:ASSOCIATE_OF]-(q:Person)
  RETURN q
}
WITH p, q, m
WHERE q <> p AND q <> m
  AND NOT EXISTS {
    MATCH (p)-[:OFFENDER_IN|SUSPECT_IN]->(s:Incident)<-[:OFFENDER_IN|SUSPECT_IN]-(q)
    WHERE ($start IS NULL OR s.occurred_at >= datetime($start))
      AND ($end IS NULL OR s.occurred_at < datetime($end)) }
WITH p, q, m ORDER BY m.id
WITH p, q, collect(DISTINCT m.id) AS via
RETURN q.id AS candidate_id, size(via) AS common_neighbours, via,
       EXISTS { (p)-[:ASSOCIATE_OF]-(q) } AS associate
ORDER BY common_neighbours DESC, candidate_id
LIMIT $limit
