// title: Monthly trend by continuum category
// description: Incidents per calendar month and category, in one borough or everywhere.
// mode: read
// params: borough borough code or null
MATCH (i:Incident)
WHERE $borough IS NULL OR EXISTS {
  MATCH (i)-[:OCCURRED_AT]->(:Location)-[:IN_WARD]->(:Ward)-[:IN_BOROUGH]->(b:Borough)
  WHERE b.code = $borough }
RETURN date.truncate('month', i.occurred_at) AS month, i.category AS category, count(*) AS incidents
ORDER BY month
