// title: Incidents within two steps of a named person
// description: Incidents since $since involving (in any role) $person_id or anyone within
//   $hops steps of them: step 1 is anyone linked to them by an association or by offending
//   together, step 2 anyone linked so to those (Papachristos's network exposure). One row
//   per incident, newest first, so a watch alerts on each new one. Watch it:
//   graphvc watch add near-P1 --query new_incident_near_person -p person_id=P1 --schedule daily
// team: gangs and firearms
// param person_id: string, required, example "P1" -- the named person
// param hops: integer, default 2, min 0, max 2 -- how many steps out (0 = the person only)
// param since: datetime, default null, example "2024-01-01T00:00:00" -- only incidents from this time (London time unless it has an offset)
// param limit: integer, default 500, min 1, max 10000 -- the most rows returned
// column incident_id: the incident's id
// column category: its continuum category
// column occurred_at: when it occurred
// column steps: the fewest steps from the named person to someone involved in it
// column people: how many people within the steps are involved in it
// mode: read
MATCH (p:Person {id: $person_id})
MATCH path = (p)-[:ASSOCIATE_OF|OFFENDER_IN|SUSPECT_IN*0..4]-(b:Person)
WITH b, min(size([n IN nodes(path) WHERE n:Person]) - 1) AS steps
WHERE steps <= $hops
MATCH (b)-[:OFFENDER_IN|SUSPECT_IN|VICTIM_IN|WITNESS_IN]->(i:Incident)
WHERE $since IS NULL OR i.occurred_at >= datetime($since)
RETURN i.id AS incident_id, i.category AS category, i.occurred_at AS occurred_at,
       min(steps) AS steps, count(DISTINCT b) AS people
ORDER BY occurred_at DESC, incident_id
LIMIT $limit
