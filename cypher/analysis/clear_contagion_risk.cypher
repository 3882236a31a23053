// title: Clear contagion risk of an earlier scoring
// description: Remove the contagion risk and its parts from people an earlier
//   graphvc risk contagion scored and this one did not, so no stale risk survives.
// mode: write
// params: run_at ISO date-time of this scoring
MATCH (p:Person)
WHERE p.contagion_scored_at IS NOT NULL AND p.contagion_scored_at <> datetime($run_at)
REMOVE p.score_contagion_risk, p.contagion_baseline_part, p.contagion_neighbours_part,
       p.contagion_as_of, p.contagion_scored_at
