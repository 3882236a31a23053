// title: Risk assessments for the Spark engine
// description: Every risk assessment, one row each; assessed_at as epoch milliseconds.
// columns: person_id, incident_id, assessed_at, tool, level
// mode: read
// params: part, parts integers: the rows whose id(a) % parts = part, as in
//   incidents.cypher ({{PARAMETERS}}).
{{PARAMETERS}}
MATCH (p:Person)-[a:ASSESSED]->(i:Incident)
WHERE id(a) % parts = part
RETURN p.id AS person_id, i.id AS incident_id, a.assessed_at.epochMillis AS assessed_at,
       a.tool AS tool, a.level AS level
