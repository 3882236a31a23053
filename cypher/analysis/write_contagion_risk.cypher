// title: Write contagion risk back
// description: Set each scored person's contagion risk (graphvc risk contagion) and its parts,
//   stamped with the time of writing and the as-of date. Not an analysis run's score: analyse's
//   clear_scores and withdraw_scores leave it alone (its own clear is clear_contagion_risk).
// mode: write
// params: rows list of {id person id, risk, baseline, neighbours}; as_of ISO date; run_at ISO
//   date-time (parameters of the whole batch).
UNWIND $rows AS row
MATCH (p:Person {id: row.id})
SET p.score_contagion_risk = row.risk,
    p.contagion_baseline_part = row.baseline,
    p.contagion_neighbours_part = row.neighbours,
    p.contagion_as_of = date($as_of),
    p.contagion_scored_at = datetime($run_at)
