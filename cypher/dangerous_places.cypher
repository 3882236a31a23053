// title: Dangerous places by harm
// description: Locations, wards or boroughs ($level) ranked by the total crime harm (Cambridge
//   Crime Harm Index) of the incidents there within [$start, $end), optionally of the
//   continuum categories $categories only. harm_share is the place's share of the harm of
//   every placed incident at that level. (The total is summed on its own, so no list of every
//   place rides along the sort: its memory grows with the places, not $limit x places.)
// team: all teams
// param level: string, default "ward", example "borough", one of location|ward|borough -- which places
// param categories: list<string>, default null, one of gun_enabled|knife_enabled|personal_robbery|alcohol_related|domestic_abuse|hate_crime|rape_sexual|other_violence -- only incidents of these categories (default: all)
// param start: datetime, default null, example "2024-01-01T00:00:00" -- window start, inclusive (London time unless it has an offset)
// param end: datetime, default null, example "2025-01-03T00:00:00" -- window end, exclusive
// param limit: integer, default 50, min 1, max 10000 -- the most rows returned
// column place_id: location id, ward code or borough code
// column place_name: its name
// column incidents: incidents there in the window
// column harm: their total crime harm
// column harm_share: share of the harm of all places at this level
// mode: read
CALL () {
  MATCH (i:Incident)-[:OCCURRED_AT]->(l:Location)
  WHERE ($start IS NULL OR i.occurred_at >= datetime($start))
    AND ($end IS NULL OR i.occurred_at < datetime($end))
    AND ($categories IS NULL OR i.category IN $categories)
  OPTIONAL MATCH (l:Location)-[:IN_WARD]->(w:Ward)
  OPTIONAL MATCH (w:Ward)-[:IN_BOROUGH]->(b:Borough)
  WITH i, CASE $level WHEN 'location' THEN l.id WHEN 'ward' THEN w.code ELSE b.code END AS place_id
  WHERE place_id IS NOT NULL
  RETURN sum(coalesce(i.harm, 0.0)) AS total
}
MATCH (i:Incident)-[:OCCURRED_AT]->(l:Location)
WHERE ($start IS NULL OR i.occurred_at >= datetime($start))
  AND ($end IS NULL OR i.occurred_at < datetime($end))
  AND ($categories IS NULL OR i.category IN $categories)
OPTIONAL MATCH (l:Location)-[:IN_WARD]->(w:Ward)
OPTIONAL MATCH (w:Ward)-[:IN_BOROUGH]->(b:Borough)
WITH i, total, CASE $level WHEN 'location' THEN l.id WHEN 'ward' THEN w.code ELSE b.code END AS place_id,
     CASE $level WHEN 'location' THEN l.name WHEN 'ward' THEN w.name ELSE b.name END AS place_name
WHERE place_id IS NOT NULL
WITH place_id, place_name, total, count(i) AS incidents, sum(coalesce(i.harm, 0.0)) AS harm
RETURN place_id, place_name, incidents, harm,
       CASE WHEN total > 0 THEN harm / total END AS harm_share
ORDER BY harm DESC, incidents DESC, place_id
LIMIT $limit
