// title: A node's properties
// description: Every property of one node as [key, value] pairs, except a person's name, which
//   stays in the database.
// mode: read
// params: element_id string
MATCH (n) WHERE elementId(n) = $element_id
RETURN labels(n)[0] AS label,
       [key IN keys(n) WHERE NOT (n:Person AND key = 'name') | [key, n[key]]] AS properties
