// title: The others in a person's incidents, for their profile
// description: For every incident the person took part in, each other person in it and both
//   their roles (co-offenders, victims of their offending, those who offended against them):
//   ids only, never names.
//   occurred_at as epoch milliseconds.
// mode: read
// params: person_id string
MATCH (p:Person {id: $person_id})-[mine:OFFENDER_IN|SUSPECT_IN|VICTIM_IN|WITNESS_IN]->(i:Incident)
MATCH (i)<-[theirs:OFFENDER_IN|SUSPECT_IN|VICTIM_IN|WITNESS_IN]-(o:Person)
WHERE o <> p
RETURN i.id AS incident_id, i.occurred_at.epochMillis AS occurred_at,
       CASE type(mine) WHEN 'OFFENDER_IN' THEN 'offender' WHEN 'SUSPECT_IN' THEN 'suspect'
                       WHEN 'VICTIM_IN' THEN 'victim' ELSE 'witness' END AS role,
       o.id AS other_id,
       CASE type(theirs) WHEN 'OFFENDER_IN' THEN 'offender' WHEN 'SUSPECT_IN' THEN 'suspect'
                         WHEN 'VICTIM_IN' THEN 'victim' ELSE 'witness' END AS other_role
ORDER BY occurred_at, incident_id, other_id
