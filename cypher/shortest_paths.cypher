// title: Shortest paths between two people
// description: Every shortest path from $from_id to $to_id through offending (offender or
//   suspect in the same incident) and intelligence association links, at most 8 links long;
//   incidents outside [$start, $end) are not crossed. A shared incident is two links, an
//   association one. No path, or the same person twice: no rows.
// team: gangs and firearms
// param from_id: string, required, example "P2" -- one person's id
// param to_id: string, required, example "P6" -- the other person's id
// param start: datetime, default null, example "2024-01-01T00:00:00" -- window start, inclusive (London time unless it has an offset)
// param end: datetime, default null, example "2025-01-03T00:00:00" -- window end, exclusive
// param limit: integer, default 25, min 1, max 1000 -- the most paths returned
// column node_ids: the ids of the people and incidents along the path, from first to last
// column links: the relationship types along the path (OFFENDER_IN, SUSPECT_IN, ASSOCIATE_OF)
// column length: the number of links
// mode: read
MATCH (a:Person {id: $from_id}), (b:Person {id: $to_id})
WHERE a <> b
MATCH path = allShortestPaths((a)-[:OFFENDER_IN|SUSPECT_IN|ASSOCIATE_OF*..8]-(b))
WHERE all(n IN nodes(path) WHERE NOT n:Incident OR (
        ($start IS NULL OR n.occurred_at >= datetime($start))
    AND ($end IS NULL OR n.occurred_at < datetime($end))))
WITH [n IN nodes(path) | n.id] AS node_ids, [r IN relationships(path) | type(r)] AS links
RETURN node_ids, links, size(links) AS length
ORDER BY node_ids
LIMIT $limit
