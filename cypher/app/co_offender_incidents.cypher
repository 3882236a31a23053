// title: Shared offending around a set of people
// description: The incidents in [$start, $end) (null: open) in which a person of $ids was an
//   offender or suspect, with everyone who was an offender or suspect in them: one step of the
//   walk behind likely co-offenders (graphvc.predict.co_offender_reads). A person's name is
//   never returned.
// mode: read
// params: ids list of person ids; start, end ISO date-time with offset, or null; limit integer
UNWIND $ids AS pid
MATCH (p:Person {id: pid})-[:OFFENDER_IN|SUSPECT_IN]->(i:Incident)
WHERE i.occurred_at IS NOT NULL
  AND ($start IS NULL OR i.occurred_at >= datetime($start))
  AND ($end IS NULL OR i.occurred_at < datetime($end))
WITH DISTINCT i
MATCH (i)<-[r:OFFENDER_IN|SUSPECT_IN]-(q:Person)
RETURN q.id AS person_id, i.id AS incident_id,
       CASE type(r) WHEN 'OFFENDER_IN' THEN 'offender' ELSE 'suspect' END AS role,
       i.occurred_at.epochMillis AS occurred_ms, i.offence AS offence, i.category AS category,
       i.harm AS harm
LIMIT $limit
