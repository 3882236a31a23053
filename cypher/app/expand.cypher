// title: One hop out from a set of nodes
// description: Neighbours of the frontier nodes through the allowed relationship types; incidents
//   outside the date window or categories are not crossed. Bounded by $limit rows.
// mode: read
// params: frontier list of element ids; rel_types list of string; start, end ISO date-time or null;
//   categories list of string or null; limit integer
UNWIND $frontier AS element_id
MATCH (n) WHERE elementId(n) = element_id
MATCH (n)-[r]-(m)
WHERE type(r) IN $rel_types
  AND (NOT m:Incident OR (
        ($start IS NULL OR m.occurred_at >= datetime($start))
    AND ($end IS NULL OR m.occurred_at < datetime($end))
    AND ($categories IS NULL OR m.category IN $categories)))
RETURN elementId(startNode(r)) AS source, elementId(endNode(r)) AS target, type(r) AS type,
       elementId(m) AS element_id, labels(m)[0] AS label, coalesce(m.id, m.code) AS id,
       m.category AS category, m.harm AS harm,
       CASE WHEN m:Person THEN null ELSE m.name END AS name
LIMIT $limit
