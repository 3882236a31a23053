// title: Repeat suspects of rape and serious sexual offences
// description: People named as offender or suspect in at least $min_incidents incidents of
//   $categories (rape and sexual offences) within [$start, $end), with how many victims and
//   the outcomes: serial offending that single investigations can miss.
// team: rape and serious sexual offences
// param categories: list<string>, default ["rape_sexual"], example ["rape_sexual"], one of gun_enabled|knife_enabled|personal_robbery|alcohol_related|domestic_abuse|hate_crime|rape_sexual|other_violence -- the incidents' categories
// param min_incidents: integer, default 2, min 2 -- the fewest incidents that make a repeat suspect
// param start: datetime, default null, example "2024-01-01T00:00:00" -- window start, inclusive (London time unless it has an offset)
// param end: datetime, default null, example "2025-01-03T00:00:00" -- window end, exclusive
// param limit: integer, default 100, min 1, max 10000 -- the most rows returned
// column person_id: the suspect's person id
// column incidents: their incidents of those categories in the window
// column victims: distinct victims of those incidents
// column harm: their total crime harm
// column first_at: the first of them
// column last_at: the last of them
// column outcomes: the incidents' outcomes, in time order
// mode: read
MATCH (s:Person)-[:OFFENDER_IN|SUSPECT_IN]->(i:Incident)
WHERE i.category IN $categories
  AND ($start IS NULL OR i.occurred_at >= datetime($start))
  AND ($end IS NULL OR i.occurred_at < datetime($end))
WITH DISTINCT s, i ORDER BY i.occurred_at, i.id
WITH s, collect(i) AS incidents
WHERE size(incidents) >= $min_incidents
CALL (incidents) {
  UNWIND incidents AS incident
  OPTIONAL MATCH (v:Person)-[:VICTIM_IN]->(incident)
  RETURN count(DISTINCT v) AS victims
}
RETURN s.id AS person_id, size(incidents) AS incidents, victims,
       reduce(total = 0.0, i IN incidents | total + coalesce(i.harm, 0.0)) AS harm,
       incidents[0].occurred_at AS first_at, incidents[-1].occurred_at AS last_at,
       [i IN incidents | i.outcome] AS outcomes
ORDER BY incidents DESC, victims DESC, person_id
LIMIT $limit
