// title: Which of these ids exist in the graph
// description: Used by the loaders to accept references to people, incidents and locations
//   loaded earlier. graphvc replaces NODE_LABEL with an allow-listed label in backticks.
// mode: read
// params: ids list of string
UNWIND $ids AS id
MATCH (n:NODE_LABEL {id: id})
RETURN n.id AS id
