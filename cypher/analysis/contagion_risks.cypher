// title: Everyone's contagion risk
// description: The contagion risk graphvc risk contagion last wrote, one row per person who has
//   one: for the reports' people table.
// mode: read
// params: none
MATCH (p:Person)
WHERE p.score_contagion_risk IS NOT NULL
RETURN p.id AS person_id, p.score_contagion_risk AS risk
