// title: An incident's known offenders and suspects
// description: The ids of the people recorded as offender or suspect of incident $incident_id,
//   the seeds of its likely co-offenders. A person's name is never returned.
// mode: read
// params: incident_id string
MATCH (:Incident {id: $incident_id})<-[:OFFENDER_IN|SUSPECT_IN]-(p:Person)
RETURN DISTINCT p.id AS person_id
ORDER BY person_id
