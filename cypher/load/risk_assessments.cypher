// title: Load risk assessments
// description: (:Person)-[:ASSESSED {tool, level, assessed_at}]->(:Incident): a risk
//   assessment (e.g. DASH) of a person after an incident. One relationship per person,
//   incident, tool and time; assessed_at is an ISO 8601 string with offset.
// mode: write
// params: rows list of {person_id, incident_id, assessed_at, tool, level}
UNWIND $rows AS row
MATCH (p:Person {id: row.person_id})
MATCH (i:Incident {id: row.incident_id})
MERGE (p)-[a:ASSESSED {tool: row.tool, assessed_at: datetime(row.assessed_at)}]->(i)
SET a.level = row.level
