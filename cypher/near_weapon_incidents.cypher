// title: People near gun and knife incidents
// description: People within $hops steps of an incident of $categories (gun- or knife-enabled)
//   within [$start, $end): step 1 is anyone involved in it (offender, suspect, victim,
//   witness); step 2 anyone linked to them by an association or by offending together in an
//   incident of the window (Papachristos's network exposure).
// team: gangs and firearms
// param categories: list<string>, default ["gun_enabled", "knife_enabled"], one of gun_enabled|knife_enabled|personal_robbery|alcohol_related|domestic_abuse|hate_crime|rape_sexual|other_violence -- the incidents' categories
// param hops: integer, default 2, min 1, max 2 -- how many steps out (1 or 2)
// param start: datetime, default null, example "2024-01-01T00:00:00" -- window start, inclusive (London time unless it has an offset)
// param end: datetime, default null, example "2025-01-03T00:00:00" -- window end, exclusive
// param limit: integer, default 100, min 1, max 10000 -- the most rows returned
// column person_id: the person's id
// column hops: the fewest steps to such an incident (1 = involved in one)
// column weapon_incidents: how many such incidents are within hops steps
// column latest_at: the latest of them
// mode: read
MATCH (w:Incident)<-[:OFFENDER_IN|SUSPECT_IN|VICTIM_IN|WITNESS_IN]-(a:Person)
WHERE w.category IN $categories
  AND ($start IS NULL OR w.occurred_at >= datetime($start))
  AND ($end IS NULL OR w.occurred_at < datetime($end))
MATCH path = (a)-[:ASSOCIATE_OF|OFFENDER_IN|SUSPECT_IN*0..2]-(b:Person)
WHERE all(n IN nodes(path) WHERE NOT n:Incident OR (
        ($start IS NULL OR n.occurred_at >= datetime($start))
    AND ($end IS NULL OR n.occurred_at < datetime($end))))
WITH w, b, size([n IN nodes(path) WHERE n:Person]) AS hops
WHERE hops <= $hops
RETURN b.id AS person_id, min(hops) AS hops, count(DISTINCT w) AS weapon_incidents,
       max(w.occurred_at) AS latest_at
ORDER BY hops, weapon_incidents DESC, person_id
LIMIT $limit
