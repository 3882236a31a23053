// title: The properties of the nodes of an exported network
// description: Every property of each node, as [key, value] pairs, except a person's name, which
//   stays in the database (graphvc.contract.IDENTIFYING), and scores that are not the newest
//   stored run's (graphvc.stored_runs). One row per element id found.
// mode: read
// params: element_ids list of element ids
OPTIONAL MATCH (run:AnalysisRun)
WITH max(run.finished_at) AS listed
UNWIND $element_ids AS element_id
MATCH (n) WHERE elementId(n) = element_id
WITH n, element_id, listed IS NULL OR n.scored_at = listed AS listed_scores
RETURN element_id,
       [key IN keys(n) WHERE NOT (n:Person AND key = 'name')
          AND (listed_scores OR NOT (key STARTS WITH 'score_' OR key = 'scored_at'))
        | [key, n[key]]] AS properties
