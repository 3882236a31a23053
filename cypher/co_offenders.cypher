// title: Co-offenders of a person
// description: People who offended, or were suspects, in the same incidents as $person_id, and
//   their co-offenders in turn, up to $hops steps away; only incidents within [$start, $end)
//   count. hops is the fewest shared-incident steps (a breadth-first search, so hubs do not
//   multiply the work); shared_incidents counts the incidents in the window in which the two
//   offended together (0 beyond the first step).
// team: gangs and firearms
// param person_id: string, required, example "P1" -- the person's id
// param hops: integer, default 2, example 2, min 1, max 3 -- how many shared-incident steps out (1 to 3)
// param start: datetime, default null, example "2024-01-01T00:00:00" -- window start, inclusive (London time unless it has an offset)
// param end: datetime, default null, example "2025-01-03T00:00:00" -- window end, exclusive
// param limit: integer, default 100, min 1, max 10000 -- the most rows returned
// column co_offender_id: the co-offender's person id
// column hops: the fewest shared-incident steps between the two (1 = offended together)
// column shared_incidents: incidents in the window in which the two offended together
// mode: read
MATCH (p:Person {id: $person_id})
MATCH path = ANY SHORTEST (p)((:Person)-[:OFFENDER_IN|SUSPECT_IN]->(i:Incident)<-[:OFFENDER_IN|SUSPECT_IN]-(:Person)
        WHERE ($start IS NULL OR i.occurred_at >= datetime($start))
          AND ($end IS NULL OR i.occurred_at < datetime($end))){1,3}(q)
WITH p, q, length(path) / 2 AS hops
WHERE q <> p AND hops <= $hops
OPTIONAL MATCH (p)-[:OFFENDER_IN|SUSPECT_IN]->(s:Incident)<-[:OFFENDER_IN|SUSPECT_IN]-(q)
  WHERE ($start IS NULL OR s.occurred_at >= datetime($start))
    AND ($end IS NULL OR s.occurred_at < datetime($end))
RETURN q.id AS co_offender_id, hops, count(DISTINCT s) AS shared_incidents
ORDER BY hops, shared_incidents DESC, co_offender_id
LIMIT $limit
