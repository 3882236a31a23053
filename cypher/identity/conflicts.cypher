// title: Rejections among records
// description: The NOT_SAME_AS decisions between two of the records $ids: the rejections a
//   confirmation joining those records would contradict (graphvc.identity.decide_pair).
// columns: person_a, person_b, by, reason -- each rejection found
// mode: read
// params: ids list of strings: the members of the two confirmed clusters to be joined
MATCH (a:Person)-[n:NOT_SAME_AS]->(b:Person)
WHERE a.id IN $ids AND b.id IN $ids
RETURN a.id AS person_a, b.id AS person_b, n.by AS by, n.reason AS reason
ORDER BY person_a, person_b
