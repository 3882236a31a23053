// title: Record an analyst's decision on two person records
// description: The decision, from the lower id to the higher; the only query that writes
//   decisions (graphvc.identity.decide_pair, which refuses a pair already decided: an earlier
//   decision found here was written meanwhile by another analyst, and this one replaces it,
//   so a pair never holds two). Both types are written here, each under its own
//   condition, rather than filled in as a label: they are not among the types the explorer
//   and the Cypher page follow (graphvc.model).
// columns: person_a, person_b -- the pair decided, or no row when either record is missing
// mode: write
// params: person_a, person_b strings (person_a < person_b); decision "SAME_AS" or
//   "NOT_SAME_AS"; by string, who decided; at ISO date-time; reason string or null
MATCH (a:Person {id: $person_a}), (b:Person {id: $person_b})
OPTIONAL MATCH (a)-[old:SAME_AS|NOT_SAME_AS]-(b)
DELETE old
WITH DISTINCT a, b
FOREACH (_ IN CASE WHEN $decision = 'SAME_AS' THEN [1] ELSE [] END |
  CREATE (a)-[:SAME_AS {by: $by, at: datetime($at)}]->(b))
FOREACH (_ IN CASE WHEN $decision = 'NOT_SAME_AS' THEN [1] ELSE [] END |
  CREATE (a)-[:NOT_SAME_AS {by: $by, at: datetime($at), reason: $reason}]->(b))
RETURN a.id AS person_a, b.id AS person_b
