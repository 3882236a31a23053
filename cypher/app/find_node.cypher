// title: Find a node by id
// description: The person, incident or location with this id, or the ward or borough with this
//   code, with the same columns as a node of app/expand. A person's name is never returned.
// mode: read
// params: id string
CALL {
  MATCH (n:Person {id: $id}) RETURN n
  UNION MATCH (n:Incident {id: $id}) RETURN n
  UNION MATCH (n:Location {id: $id}) RETURN n
  UNION MATCH (n:Ward {code: $id}) RETURN n
  UNION MATCH (n:Borough {code: $id}) RETURN n
}
RETURN elementId(n) AS element_id, labels(n)[0] AS label, coalesce(n.id, n.code) AS id,
       n.category AS category, n.harm AS harm, CASE WHEN n:Person THEN null ELSE n.name END AS name,
       n.score_priority AS score_priority, n.score_betweenness AS score_betweenness
LIMIT 1
