// title: Shortest connection between two people
// description: One shortest path from person $a to person $b through the allowed relationship
//   types, crossing only incidents inside the date window, categories and boroughs. Bounded:
//   the search stops at 12 relationships (six people apart through incidents). A person's
//   name is never returned. Scores are shown only when they are the newest stored run's
//   (graphvc.stored_runs).
// mode: read
// params: a, b person ids; rel_types list of string; start, end ISO date-time or null;
//   categories list of string or null; boroughs list of borough codes or null
OPTIONAL MATCH (run:AnalysisRun)
WITH max(run.finished_at) AS listed
MATCH (a:Person {id: $a}), (b:Person {id: $b})
MATCH path = SHORTEST 1 (a) (()-[r]-(m)
  WHERE type(r) IN $rel_types
    AND (NOT m:Incident OR (
          ($start IS NULL OR m.occurred_at >= datetime($start))
      AND ($end IS NULL OR m.occurred_at < datetime($end))
      AND ($categories IS NULL OR m.category IN $categories)
      AND ($boroughs IS NULL OR EXISTS {
            MATCH (m)-[:OCCURRED_AT]->(:Location)-[:IN_WARD]->(:Ward)-[:IN_BOROUGH]->(borough:Borough)
            WHERE borough.code IN $boroughs })))){1,12} (b)
RETURN [n IN nodes(path) | {element_id: elementId(n), label: labels(n)[0],
          id: coalesce(n.id, n.code), category: n.category, harm: n.harm,
          name: CASE WHEN n:Person THEN null ELSE n.name END,
          score_priority: CASE WHEN listed IS NULL OR n.scored_at = listed THEN n.score_priority END,
          score_priority_rank: CASE WHEN listed IS NULL OR n.scored_at = listed THEN n.score_priority_rank END,
          score_betweenness: CASE WHEN listed IS NULL OR n.scored_at = listed THEN n.score_betweenness END,
          occurred_at: n.occurred_at}] AS nodes,
       [r IN relationships(path) | {source: elementId(startNode(r)), target: elementId(endNode(r)),
          type: type(r)}] AS edges
