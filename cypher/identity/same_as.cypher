// title: Confirmed identities
// description: Every SAME_AS decision, as the pair of person ids it joins; the confirmed
//   clusters are their connected components (graphvc.identity.confirmed_clusters).
// columns: person_a, person_b -- the two records the analyst confirmed are one person
// mode: read
MATCH (a:Person)-[:SAME_AS]->(b:Person)
RETURN a.id AS person_a, b.id AS person_b
ORDER BY person_a, person_b
