// title: Load intelligence associations
// description: (:Person)-[:ASSOCIATE_OF {type, weight, source}]->(:Person), stored once per
//   unordered pair and type (person_a < person_b); people not yet in the graph are created bare.
//   $keep names the columns absent from the file: their values in the graph are kept.
// mode: write
// params: rows list of {person_a, person_b, type, weight, source}; keep map of column to true
UNWIND $rows AS row
MERGE (a:Person {id: row.person_a})
MERGE (b:Person {id: row.person_b})
MERGE (a)-[r:ASSOCIATE_OF {type: row.type}]->(b)
SET r.weight = CASE WHEN $keep.weight THEN coalesce(r.weight, row.weight) ELSE row.weight END,
    r.source = CASE WHEN $keep.source THEN coalesce(r.source, row.source) ELSE row.source END
