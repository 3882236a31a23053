// title: Write place scores back
// description: Set harm and incident counts on locations, wards and boroughs, stamped with the run's time.
//   graphvc replaces PLACE_LABEL with Location, Ward or Borough and KEY with id or code.
// mode: write
// params: rows list of {id, scores map}; run_at ISO date-time
UNWIND $rows AS row
MATCH (n:PLACE_LABEL {KEY: row.id})
SET n += row.scores, n.scored_at = datetime($run_at)
