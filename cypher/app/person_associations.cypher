// title: A person's intelligence links, for their profile
// description: Every association recorded between the person and another, either way round,
//   with its type, strength (weight; null when the source gave none) and source.
// mode: read
// params: person_id string
MATCH (p:Person {id: $person_id})-[r:ASSOCIATE_OF]-(o:Person)
WHERE o <> p
RETURN o.id AS other_id, r.type AS type, r.weight AS weight, r.source AS source,
       startNode(r) = p AS recorded_from_them
ORDER BY other_id, type
