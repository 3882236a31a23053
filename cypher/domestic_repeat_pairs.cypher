// title: Domestic-abuse repeat victim-perpetrator pairs
// description: Pairs of a victim and a perpetrator (offender or suspect) of the same domestic
//   abuse incidents (category domestic_abuse or the domestic flag) within [$start, $end) where
//   at least one incident followed the pair's previous one by no more than $window_days days:
//   the twelve-month repeat that forces in England and Wales count.
// team: domestic abuse and hate crime
// param window_days: integer, default 365, min 1, max 3660 -- the longest gap in days that makes a repeat
// param start: datetime, default null, example "2024-01-01T00:00:00" -- window start, inclusive (London time unless it has an offset)
// param end: datetime, default null, example "2025-01-03T00:00:00" -- window end, exclusive
// param limit: integer, default 100, min 1, max 10000 -- the most rows returned
// column victim_id: the victim's person id
// column perpetrator_id: the perpetrator's person id
// column incidents: the pair's domestic abuse incidents in the window
// column repeats: how many followed the previous one within window_days
// column min_gap_days: the shortest gap between successive incidents, in days
// column harm: total crime harm of the pair's incidents
// column first_at: the first incident
// column last_at: the last incident
// mode: read
MATCH (v:Person)-[:VICTIM_IN]->(i:Incident)<-[:OFFENDER_IN|SUSPECT_IN]-(o:Person)
WHERE (i.category = 'domestic_abuse' OR i.domestic = true) AND v <> o
  AND ($start IS NULL OR i.occurred_at >= datetime($start))
  AND ($end IS NULL OR i.occurred_at < datetime($end))
WITH DISTINCT v, o, i ORDER BY i.occurred_at
WITH v, o, collect(i) AS incidents
WHERE size(incidents) >= 2
WITH v, o, incidents,
     [k IN range(1, size(incidents) - 1) |
       duration.inSeconds(incidents[k - 1].occurred_at, incidents[k].occurred_at).seconds / 86400.0] AS gaps
WITH v, o, incidents, gaps, [g IN gaps WHERE g <= $window_days] AS repeats
WHERE size(repeats) > 0
RETURN v.id AS victim_id, o.id AS perpetrator_id, size(incidents) AS incidents,
       size(repeats) AS repeats,
       reduce(least = gaps[0], g IN gaps | CASE WHEN g < least THEN g ELSE least END) AS min_gap_days,
       reduce(total = 0.0, i IN incidents | total + coalesce(i.harm, 0.0)) AS harm,
       incidents[0].occurred_at AS first_at, incidents[-1].occurred_at AS last_at
ORDER BY repeats DESC, min_gap_days, victim_id, perpetrator_id
LIMIT $limit
