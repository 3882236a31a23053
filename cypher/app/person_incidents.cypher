// title: A person's incidents, for their profile
// description: Every incident the person took part in, whatever the role, with its place (the
//   location, ward and borough when known), as the input contract names the columns; one row
//   per incident and role; occurred_at as epoch milliseconds (graphvc.profile makes it London
//   wall-clock time, as graphvc.graph_tables does). Harm and category are filled from the
//   harm index by graphvc.analysis.events.incident_harm, as every measure fills them.
// mode: read
// params: person_id string
MATCH (p:Person {id: $person_id})-[r:OFFENDER_IN|SUSPECT_IN|VICTIM_IN|WITNESS_IN]->(i:Incident)
OPTIONAL MATCH (i)-[:OCCURRED_AT]->(l:Location)
OPTIONAL MATCH (l)-[:IN_WARD]->(w:Ward)
OPTIONAL MATCH (w)-[:IN_BOROUGH]->(b:Borough)
RETURN i.id AS incident_id, i.occurred_at.epochMillis AS occurred_at, i.offence AS offence,
       i.category AS category, i.weapon AS weapon, i.domestic AS domestic, i.harm AS harm,
       i.outcome AS outcome,
       CASE type(r) WHEN 'OFFENDER_IN' THEN 'offender' WHEN 'SUSPECT_IN' THEN 'suspect'
                    WHEN 'VICTIM_IN' THEN 'victim' ELSE 'witness' END AS role,
       l.id AS location_id, l.name AS location_name, w.code AS ward_code, w.name AS ward_name,
       b.code AS borough_code, b.name AS borough_name
ORDER BY occurred_at, incident_id, role
