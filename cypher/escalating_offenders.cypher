// title: Offenders escalating to knife or gun crime
// description: Offenders and suspects whose first incident of $weapon_categories within
//   [$start, $end) came strictly after an earlier incident of theirs, which was therefore of
//   another category: movement along the continuum of violence to weapon-enabled crime.
// team: gangs and firearms
// param weapon_categories: list<string>, default ["gun_enabled", "knife_enabled"], one of gun_enabled|knife_enabled|personal_robbery|alcohol_related|domestic_abuse|hate_crime|rape_sexual|other_violence -- the categories escalated to
// param start: datetime, default null, example "2024-01-01T00:00:00" -- window start, inclusive (London time unless it has an offset)
// param end: datetime, default null, example "2025-01-03T00:00:00" -- window end, exclusive
// param limit: integer, default 100, min 1, max 10000 -- the most rows returned
// column person_id: the offender's person id
// column first_weapon_incident_id: their first incident of those categories
// column first_weapon_category: its category
// column first_weapon_at: when it happened
// column earlier_incidents: how many of their incidents came before it
// column earlier_categories: the categories of those, in order of first appearance
// mode: read
MATCH (p:Person)-[:OFFENDER_IN|SUSPECT_IN]->(i:Incident)
WHERE ($start IS NULL OR i.occurred_at >= datetime($start))
  AND ($end IS NULL OR i.occurred_at < datetime($end))
WITH DISTINCT p, i ORDER BY i.occurred_at, i.id
WITH p, collect(i) AS incidents
WITH p, incidents, [x IN incidents WHERE x.category IN $weapon_categories][0] AS weapon
WHERE weapon IS NOT NULL AND incidents[0].occurred_at < weapon.occurred_at
WITH p, weapon, [x IN incidents WHERE x.occurred_at < weapon.occurred_at] AS earlier
RETURN p.id AS person_id, weapon.id AS first_weapon_incident_id,
       weapon.category AS first_weapon_category, weapon.occurred_at AS first_weapon_at,
       size(earlier) AS earlier_incidents,
       reduce(seen = [], x IN earlier |
         CASE WHEN x.category IN seen THEN seen ELSE seen + x.category END) AS earlier_categories
ORDER BY first_weapon_at DESC, person_id
LIMIT $limit
