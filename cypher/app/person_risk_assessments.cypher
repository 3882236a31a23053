// title: A person's risk assessments, for their profile
// description: Every risk assessment of the person after an incident (DASH and the like), with
//   the incident it followed, newest first.
//   assessed_at as epoch milliseconds.
// mode: read
// params: person_id string
MATCH (p:Person {id: $person_id})-[a:ASSESSED]->(i:Incident)
RETURN a.assessed_at.epochMillis AS assessed_at, a.tool AS tool, a.level AS level,
       i.id AS incident_id
ORDER BY assessed_at DESC, incident_id
