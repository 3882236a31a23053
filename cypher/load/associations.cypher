// title: Load intelligence associations
// description: (:Person)-[:ASSOCIATE_OF {type, weight, source}]->(:Person), stored once per
//   unordered pair and type (person_a < person_b); people not yet in the graph are created bare.
// mode: write
// params: rows list of {person_a, person_b, type, weight, source}
UNWIND $rows AS row
MERGE (a:Person {id: row.person_a})
MERGE (b:Person {id: row.person_b})
MERGE (a)-[r:ASSOCIATE_OF {type: row.type}]->(b)
SET r.weight = row.weight,
    r.source = row.source
