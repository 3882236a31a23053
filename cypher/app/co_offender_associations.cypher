// title: Associations around a set of people
// description: Every intelligence link of a person of $ids, as the contract's associations
//   table: one step of the walk behind likely co-offenders (graphvc.predict.co_offender_reads).
// mode: read
// params: ids list of person ids; limit integer
UNWIND $ids AS pid
MATCH (p:Person {id: pid})-[r:ASSOCIATE_OF]-(:Person)
WITH DISTINCT r
RETURN startNode(r).id AS person_a, endNode(r).id AS person_b, r.type AS type,
       r.weight AS weight
LIMIT $limit
