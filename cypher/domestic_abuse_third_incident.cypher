// title: Third domestic-abuse incident against a victim within twelve months
// description: Each domestic abuse incident (category domestic_abuse or the domestic flag)
//   that makes at least $threshold such incidents against the same victim within the
//   $window_days days up to it: the MARAC escalation criterion (three or more in twelve
//   months; Farrell and Pease on repeat victimisation). One row per such incident, newest
//   first, so a watch alerts on each new one (incidents at the same moment count in the
//   order of their ids). Watch it:
//   graphvc watch add da-third-incident --query domestic_abuse_third_incident --schedule daily
// team: domestic abuse and hate crime
// param threshold: integer, default 3, min 2, max 20 -- incidents within the window that make an escalation
// param window_days: integer, default 365, min 1, max 3660 -- the window in days, up to and including the incident
// param start: datetime, default null, example "2024-01-01T00:00:00" -- only incidents from this time (London time unless it has an offset)
// param limit: integer, default 1000, min 1, max 10000 -- the most rows returned
// column victim_id: the victim's person id
// column incident_id: the incident that reached the threshold (or went beyond it)
// column occurred_at: when it occurred
// column incidents_in_window: the victim's domestic abuse incidents in the window up to it
// column first_at: the first of them
// mode: read
MATCH (v:Person)-[:VICTIM_IN]->(i:Incident)
WHERE (i.category = 'domestic_abuse' OR i.domestic = true)
  AND ($start IS NULL OR i.occurred_at >= datetime($start))
CALL (v, i) {
  MATCH (v)-[:VICTIM_IN]->(e:Incident)
  WHERE (e.category = 'domestic_abuse' OR e.domestic = true)
    AND e.occurred_at >= i.occurred_at - duration({days: $window_days})
    AND (e.occurred_at < i.occurred_at OR (e.occurred_at = i.occurred_at AND e.id <= i.id))
  RETURN count(DISTINCT e) AS incidents, min(e.occurred_at) AS first_at
}
WITH v, i, incidents, first_at
WHERE incidents >= $threshold
RETURN v.id AS victim_id, i.id AS incident_id, i.occurred_at AS occurred_at,
       incidents AS incidents_in_window, first_at
ORDER BY occurred_at DESC, victim_id, incident_id
LIMIT $limit
