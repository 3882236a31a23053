// title: Monthly trend by continuum category
// description: Incidents per calendar month and category.
// mode: read
// params: none
MATCH (i:Incident)
RETURN date.truncate('month', i.occurred_at) AS month, i.category AS category, count(*) AS incidents
ORDER BY month
