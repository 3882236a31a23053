// title: Involvements for the Spark engine
// description: Who took part, and how, in the incidents of the window [start, end) (null:
//   open), one row per involvement, as the input contract's involvements table; read by the
//   Neo4j Connector for Apache Spark in partitions (graphvc.spark.read).
// columns: person_id, incident_id, role (offender, suspect, victim or witness)
// mode: read
// params: start, end, part, parts as in incidents.cypher ({{PARAMETERS}}).
{{PARAMETERS}}
MATCH (i:Incident)
WHERE i.occurred_at IS NOT NULL
  AND (start IS NULL OR i.occurred_at >= datetime(start))
  AND (end IS NULL OR i.occurred_at < datetime(end))
  AND id(i) % parts = part
MATCH (i)<-[r:OFFENDER_IN|SUSPECT_IN|VICTIM_IN|WITNESS_IN]-(p:Person)
RETURN p.id AS person_id, i.id AS incident_id,
       CASE type(r) WHEN 'OFFENDER_IN' THEN 'offender' WHEN 'SUSPECT_IN' THEN 'suspect'
                    WHEN 'VICTIM_IN' THEN 'victim' ELSE 'witness' END AS role
