// title: A ward's offending network
// description: The offenders and suspects of incidents in ward $ward_code within
//   [$start, $end), each with the people they offended with (anywhere, in the window) and
//   their intelligence associates: the ward's network as adjacency lists.
// team: all teams
// param ward_code: string, required, example "E05009288" -- the ward's code
// param start: datetime, default null, example "2024-01-01T00:00:00" -- window start, inclusive (London time unless it has an offset)
// param end: datetime, default null, example "2025-01-03T00:00:00" -- window end, exclusive
// param limit: integer, default 500, min 1, max 10000 -- the most rows returned
// column person_id: an offender or suspect in the ward
// column ward_incidents: their incidents in the ward in the window
// column co_offender_ids: the people they offended with in the window, anywhere, by id
// column associate_ids: their intelligence associates, by id
// mode: read
MATCH (:Ward {code: $ward_code})<-[:IN_WARD]-(:Location)<-[:OCCURRED_AT]-(i:Incident)
      <-[:OFFENDER_IN|SUSPECT_IN]-(p:Person)
WHERE ($start IS NULL OR i.occurred_at >= datetime($start))
  AND ($end IS NULL OR i.occurred_at < datetime($end))
WITH p, count(DISTINCT i) AS ward_incidents
CALL (p) {
  OPTIONAL MATCH (p)-[:OFFENDER_IN|SUSPECT_IN]->(j:Incident)<-[:OFFENDER_IN|SUSPECT_IN]-(q:Person)
  WHERE q <> p
    AND ($start IS NULL OR j.occurred_at >= datetime($start))
    AND ($end IS NULL OR j.occurred_at < datetime($end))
  WITH DISTINCT q ORDER BY q.id
  RETURN collect(q.id) AS co_offender_ids
}
CALL (p) {
  OPTIONAL MATCH (p)-[:ASSOCIATE_OF]-(a:Person)
  WITH DISTINCT a ORDER BY a.id
  RETURN collect(a.id) AS associate_ids
}
RETURN p.id AS person_id, ward_incidents, co_offender_ids, associate_ids
ORDER BY ward_incidents DESC, size(co_offender_ids) DESC, person_id
LIMIT $limit
