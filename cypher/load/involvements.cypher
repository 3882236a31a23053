// title: Load involvements of one role
// description: (:Person)-[:{{ROLE}}]->(:Incident). {{ROLE}} is the allow-listed relationship
//   type of the batch's role (OFFENDER_IN, SUSPECT_IN, VICTIM_IN, WITNESS_IN), filled in by
//   graphvc.db.read_cypher: relationship types cannot be parameters.
// mode: write
// params: rows list of {person_id, incident_id}
UNWIND $rows AS row
MATCH (p:Person {id: row.person_id})
MATCH (i:Incident {id: row.incident_id})
MERGE (p)-[:{{ROLE}}]->(i)
