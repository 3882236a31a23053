// title: A person's contagion risk
// description: The contagion risk graphvc risk contagion wrote on one person, with its parts
//   (expected events in the scored period) and the as-of date; no row when none was written.
// mode: read
// params: person_id string
MATCH (p:Person {id: $person_id})
WHERE p.score_contagion_risk IS NOT NULL
RETURN p.score_contagion_risk AS risk,
       p.contagion_baseline_part AS baseline,
       p.contagion_neighbours_part AS neighbours,
       toString(p.contagion_as_of) AS as_of
