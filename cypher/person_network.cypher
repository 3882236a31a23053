// title: A person's network
// description: People within $hops steps of $person_id, a step being an intelligence
//   association or offending together (offender or suspect) in an incident within
//   [$start, $end).
// team: gangs and firearms
// param person_id: string, required, example "P2" -- the person's id
// param hops: integer, default 2, min 1, max 2 -- how many steps out (1 or 2)
// param start: datetime, default null, example "2024-01-01T00:00:00" -- window start, inclusive (London time unless it has an offset)
// param end: datetime, default null, example "2025-01-03T00:00:00" -- window end, exclusive
// param limit: integer, default 100, min 1, max 10000 -- the most rows returned
// column person_id: the person's id
// column hops: the fewest steps from the person
// mode: read
MATCH (p:Person {id: $person_id})
MATCH path = (p)-[:ASSOCIATE_OF|OFFENDER_IN|SUSPECT_IN*1..4]-(q:Person)
WHERE q <> p
  AND all(n IN nodes(path) WHERE NOT n:Incident OR (
        ($start IS NULL OR n.occurred_at >= datetime($start))
    AND ($end IS NULL OR n.occurred_at < datetime($end))))
WITH q, size([n IN nodes(path) WHERE n:Person]) - 1 AS hops
WHERE hops <= $hops
RETURN q.id AS person_id, min(hops) AS hops
ORDER BY hops, person_id
LIMIT $limit
