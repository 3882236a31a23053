// title: One hop out from a set of nodes
// description: Neighbours of the frontier nodes through the allowed relationship types. Incidents
//   outside the date window, the categories or the boroughs are not crossed, nor are places
//   outside the boroughs. Bounded by $limit rows. A person's name is never returned. Scores
//   are shown only when they are the newest stored run's (graphvc.stored_runs).
// mode: read
// params: frontier list of element ids; rel_types list of string; start, end ISO date-time or null;
//   categories list of string or null; boroughs list of borough codes or null; limit integer
OPTIONAL MATCH (run:AnalysisRun)
WITH max(run.finished_at) AS listed
UNWIND $frontier AS element_id
MATCH (n) WHERE elementId(n) = element_id
MATCH (n)-[r]-(m)
WHERE type(r) IN $rel_types
  AND (NOT m:Incident OR (
        ($start IS NULL OR m.occurred_at >= datetime($start))
    AND ($end IS NULL OR m.occurred_at < datetime($end))
    AND ($categories IS NULL OR m.category IN $categories)
    AND ($boroughs IS NULL OR EXISTS {
          MATCH (m)-[:OCCURRED_AT]->(:Location)-[:IN_WARD]->(:Ward)-[:IN_BOROUGH]->(b:Borough)
          WHERE b.code IN $boroughs })))
  AND ($boroughs IS NULL OR NOT (m:Location OR m:Ward OR m:Borough) OR EXISTS {
        MATCH (m)-[:IN_WARD|IN_BOROUGH*0..2]->(b:Borough) WHERE b.code IN $boroughs })
RETURN elementId(n) AS via, elementId(startNode(r)) AS source, elementId(endNode(r)) AS target,
       type(r) AS type, elementId(m) AS element_id, labels(m)[0] AS label,
       coalesce(m.id, m.code) AS id, m.category AS category, m.harm AS harm,
       CASE WHEN m:Person THEN null ELSE m.name END AS name,
       CASE WHEN listed IS NULL OR m.scored_at = listed THEN m.score_priority END AS score_priority,
       CASE WHEN listed IS NULL OR m.scored_at = listed THEN m.score_priority_rank END AS score_priority_rank,
       CASE WHEN listed IS NULL OR m.scored_at = listed THEN m.score_betweenness END AS score_betweenness,
       m.occurred_at AS occurred_at
LIMIT $limit
