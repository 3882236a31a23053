// title: Risk assessments for analysis
// description: Every risk assessment of a person after an incident, as the input contract's
//   risk_assessments table; assessed_at in London wall-clock time, like occurred_at.
// mode: read
// params: none
MATCH (p:Person)-[a:ASSESSED]->(i:Incident)
RETURN p.id AS person_id, i.id AS incident_id,
       toString(localdatetime(datetime({datetime: a.assessed_at, timezone: 'Europe/London'}))) AS assessed_at,
       a.tool AS tool, a.level AS level
