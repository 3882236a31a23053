// title: Which of these ids exist in the graph
// description: Used by the loaders to accept references to people, incidents and locations
//   loaded earlier. {{NODE}} is an allow-listed label (graphvc.db.read_cypher).
// mode: read
// params: ids list of string
UNWIND $ids AS id
MATCH (n:{{NODE}} {id: id})
RETURN n.id AS id
