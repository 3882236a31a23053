// title: Find a node by id
// description: The person, incident or location with this id, or the ward or borough with this code.
// mode: read
// params: id string
CALL {
  MATCH (n:Person {id: $id}) RETURN n
  UNION MATCH (n:Incident {id: $id}) RETURN n
  UNION MATCH (n:Location {id: $id}) RETURN n
  UNION MATCH (n:Ward {code: $id}) RETURN n
  UNION MATCH (n:Borough {code: $id}) RETURN n
}
RETURN elementId(n) AS element_id, labels(n)[0] AS label
LIMIT 1
