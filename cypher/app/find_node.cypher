// title: Find a node by id
// description: The person, incident or location with this id, or the ward or borough with this
//   code, with the same columns as a node of app/expand. A person's name is never returned.
//   Scores are shown only when they are the newest stored run's (graphvc.stored_runs).
// mode: read
// params: id string
OPTIONAL MATCH (run:AnalysisRun)
WITH max(run.finished_at) AS listed
CALL {
  MATCH (n:Person {id: $id}) RETURN n
  UNION MATCH (n:Incident {id: $id}) RETURN n
  UNION MATCH (n:Location {id: $id}) RETURN n
  UNION MATCH (n:Ward {code: $id}) RETURN n
  UNION MATCH (n:Borough {code: $id}) RETURN n
}
RETURN elementId(n) AS element_id, labels(n)[0] AS label, coalesce(n.id, n.code) AS id,
       n.category AS category, n.harm AS harm, CASE WHEN n:Person THEN null ELSE n.name END AS name,
       CASE WHEN listed IS NULL OR n.scored_at = listed THEN n.score_priority END AS score_priority,
       CASE WHEN listed IS NULL OR n.scored_at = listed THEN n.score_priority_rank END AS score_priority_rank,
       CASE WHEN listed IS NULL OR n.scored_at = listed THEN n.score_betweenness END AS score_betweenness,
       n.occurred_at AS occurred_at
LIMIT 1
