// title: Write area scores back
// description: Set harm and incident counts on wards and boroughs (keyed by code), stamped with
//   the run's time. {{AREA}} is Ward or Borough (graphvc.db.read_cypher).
// mode: write
// params: rows list of {id, scores map}; run_at ISO date-time
UNWIND $rows AS row
MATCH (n:{{AREA}} {code: row.id})
SET n += row.scores, n.scored_at = datetime($run_at)
