// title: Associations for the Spark engine
// description: Every association between two people, one row each.
// columns: person_a, person_b, type, weight, source
// mode: read
// params: part, parts integers: the rows whose id(r) % parts = part, as in
//   incidents.cypher ({{PARAMETERS}}).
{{PARAMETERS}}
MATCH (a:Person)-[r:ASSOCIATE_OF]->(b:Person)
WHERE id(r) % parts = part
RETURN a.id AS person_a, b.id AS person_b, r.type AS type, r.weight AS weight,
       r.source AS source
