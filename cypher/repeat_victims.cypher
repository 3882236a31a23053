// title: Repeat victims within 12 months
// description: People who were victims in at least $min_victimisations incidents in the
//   $window_days days (365: twelve months) before $end, optionally of the continuum
//   categories $categories only (Farrell and Pease: past victimisation predicts the next).
// team: all teams
// param end: datetime, default null, example "2025-01-03T00:00:00" -- end of the window, exclusive (default: now; London time unless it has an offset)
// param window_days: integer, default 365, min 1, max 3660 -- length of the window in days
// param min_victimisations: integer, default 2, min 2 -- the fewest victimisations that make a repeat victim
// param categories: list<string>, default null, one of gun_enabled|knife_enabled|personal_robbery|alcohol_related|domestic_abuse|hate_crime|rape_sexual|other_violence -- only incidents of these categories (default: all)
// param limit: integer, default 100, min 1, max 10000 -- the most rows returned
// column victim_id: the victim's person id
// column victimisations: incidents in the window in which the person was a victim
// column harm: total crime harm of those incidents (Cambridge Crime Harm Index days)
// column first_at: the first of them
// column last_at: the last of them
// column categories: their categories, in order of first appearance
// mode: read
WITH coalesce(datetime($end), datetime()) AS window_end
MATCH (v:Person)-[:VICTIM_IN]->(i:Incident)
WHERE i.occurred_at >= window_end - duration({days: $window_days}) AND i.occurred_at < window_end
  AND ($categories IS NULL OR i.category IN $categories)
WITH v, i ORDER BY i.occurred_at
WITH v, count(i) AS victimisations, sum(i.harm) AS harm, min(i.occurred_at) AS first_at,
     max(i.occurred_at) AS last_at, collect(DISTINCT i.category) AS categories
WHERE victimisations >= $min_victimisations
RETURN v.id AS victim_id, victimisations, harm, first_at, last_at, categories
ORDER BY victimisations DESC, harm DESC, victim_id
LIMIT $limit
