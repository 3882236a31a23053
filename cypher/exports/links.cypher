// title: The relationships of an exported network
// description: Each relationship of the given type between the given start and end nodes, with
//   its properties as [key, value] pairs (an association's type, weight and source); a pair
//   joined by several associations of different types gives a row each.
// mode: read
// params: links list of {source, target, type} (element ids and a relationship type)
UNWIND $links AS link
MATCH (a)-[r]->(b)
WHERE elementId(a) = link.source AND elementId(b) = link.target AND type(r) = link.type
RETURN link.source AS source, link.target AS target, type(r) AS type,
       [key IN keys(r) | [key, r[key]]] AS properties
