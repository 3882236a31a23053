// title: A node's properties
// description: Every property of one node as [key, value] pairs, except a person's name, which
//   stays in the database, and scores that are not the newest stored run's (graphvc.stored_runs).
// mode: read
// params: element_id string
OPTIONAL MATCH (run:AnalysisRun)
WITH max(run.finished_at) AS listed
MATCH (n) WHERE elementId(n) = $element_id
WITH n, listed IS NULL OR n.scored_at = listed AS listed_scores
RETURN labels(n)[0] AS label,
       [key IN keys(n) WHERE NOT (n:Person AND key = 'name')
          AND (listed_scores OR NOT (key STARTS WITH 'score_' OR key = 'scored_at'))
        | [key, n[key]]] AS properties
