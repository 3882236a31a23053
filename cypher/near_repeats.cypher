// title: Incidents near a place in a time window
// description: Incidents within $distance_m metres of location $location_id (great-circle
//   distance between WGS84 points, through the point index) within [$start, $end), optionally
//   of $categories only: the near-repeat look-up behind Knox and Ratcliffe's near-repeat
//   analysis. A location without coordinates has no neighbours.
// team: robbery
// param location_id: string, required, example "L1" -- the location's id
// param distance_m: float, default 200.0, example 500.0, min 0, max 20000 -- the radius in metres
// param categories: list<string>, default null, one of gun_enabled|knife_enabled|personal_robbery|alcohol_related|domestic_abuse|hate_crime|rape_sexual|other_violence -- only incidents of these categories (default: all)
// param start: datetime, default null, example "2024-01-01T00:00:00" -- window start, inclusive (London time unless it has an offset)
// param end: datetime, default null, example "2025-01-03T00:00:00" -- window end, exclusive
// param limit: integer, default 500, min 1, max 10000 -- the most rows returned
// column incident_id: the incident's id
// column location_id: where it happened
// column distance_m: metres from the location, to the decimetre
// column occurred_at: when it happened
// column category: its continuum category
// column harm: its crime harm
// mode: read
MATCH (centre:Location {id: $location_id})
WHERE centre.point IS NOT NULL
MATCH (l:Location)
WHERE point.distance(l.point, centre.point) <= $distance_m
MATCH (i:Incident)-[:OCCURRED_AT]->(l)
WHERE ($start IS NULL OR i.occurred_at >= datetime($start))
  AND ($end IS NULL OR i.occurred_at < datetime($end))
  AND ($categories IS NULL OR i.category IN $categories)
RETURN i.id AS incident_id, l.id AS location_id,
       round(point.distance(l.point, centre.point), 1) AS distance_m,
       i.occurred_at AS occurred_at, i.category AS category, i.harm AS harm
ORDER BY occurred_at, distance_m, incident_id
LIMIT $limit
