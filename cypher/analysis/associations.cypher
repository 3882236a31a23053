// title: Associations for analysis
// description: Every intelligence link, as the contract's associations table.
// mode: read
// params: none
MATCH (a:Person)-[r:ASSOCIATE_OF]->(b:Person)
RETURN a.id AS person_a, b.id AS person_b, r.type AS type, r.weight AS weight, r.source AS source
