// title: Repeat locations of hate crime
// description: Locations with at least $min_incidents hate crimes (category hate_crime or the
//   hate flag) within [$start, $end): places targeted again (Farrell and Pease's repeat
//   victimisation, for places).
// team: domestic abuse and hate crime
// param min_incidents: integer, default 2, min 2 -- the fewest hate crimes that make a repeat location
// param start: datetime, default null, example "2024-01-01T00:00:00" -- window start, inclusive (London time unless it has an offset)
// param end: datetime, default null, example "2025-01-03T00:00:00" -- window end, exclusive
// param limit: integer, default 100, min 1, max 10000 -- the most rows returned
// column location_id: the location's id
// column location_name: its name (a street or venue, never a person's)
// column ward_code: its ward
// column incidents: hate crimes there in the window
// column victims: distinct victims of them
// column harm: their total crime harm
// column first_at: the first of them
// column last_at: the last of them
// mode: read
MATCH (i:Incident)-[:OCCURRED_AT]->(l:Location)
WHERE (i.category = 'hate_crime' OR i.hate = true)
  AND ($start IS NULL OR i.occurred_at >= datetime($start))
  AND ($end IS NULL OR i.occurred_at < datetime($end))
WITH l, collect(i) AS crimes
WHERE size(crimes) >= $min_incidents
OPTIONAL MATCH (l:Location)-[:IN_WARD]->(w:Ward)
CALL (crimes) {
  UNWIND crimes AS crime
  OPTIONAL MATCH (v:Person)-[:VICTIM_IN]->(crime)
  RETURN count(DISTINCT v) AS victims
}
RETURN l.id AS location_id, l.name AS location_name, w.code AS ward_code,
       size(crimes) AS incidents, victims,
       reduce(total = 0.0, c IN crimes | total + coalesce(c.harm, 0.0)) AS harm,
       reduce(first = crimes[0].occurred_at, c IN crimes |
         CASE WHEN c.occurred_at < first THEN c.occurred_at ELSE first END) AS first_at,
       reduce(last = crimes[0].occurred_at, c IN crimes |
         CASE WHEN c.occurred_at > last THEN c.occurred_at ELSE last END) AS last_at
ORDER BY incidents DESC, harm DESC, location_id
LIMIT $limit
