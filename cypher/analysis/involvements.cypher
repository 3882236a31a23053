// title: Involvements for analysis
// description: Who took part, and how, in the incidents of the window [$start, $end) (null:
//   open) that incidents.cypher reads, as the input contract's involvements table.
// columns: person_id, incident_id, role -- one record per chunk of rows (as incidents.cypher),
//   one list per column, the chunk's rows in the same order in each: person and incident as
//   internal ids (id(p), id(i)), which graphvc.graph_tables turns into their keys from the
//   persons and incidents tables (reading p.id and i.id per row would cost the server half as
//   much again), and the role as its position in graphvc.contract.ROLES (0 offender,
//   1 suspect, 2 victim, 3 witness). No value
//   is ever null, so no list skips one; lists per column rather than one list per row halve
//   the driver's work: 1.9 s against 2.5 s for half the involvements at 1,000,000 incidents
// mode: read
// params: start, end ISO date-time with offset, or null; part, parts integers: the incidents
//   whose id(i) % parts = part (0 and 1 for the whole graph; graphvc.graph_tables reads
//   the largest tables in parts at once, so the server produces them on two cores); chunk
//   integer: as in incidents.cypher
// From each incident, so its window is tested once rather than once per involvement; the
// person's label is not tested (these types run from a person only), which would read
// every person's node: together 2.1-2.4 s of the server's time against 3.1-3.5 s at 1,000,000
// incidents.
MATCH (i:Incident)
WHERE i.occurred_at IS NOT NULL
  AND ($start IS NULL OR i.occurred_at >= datetime($start))
  AND ($end IS NULL OR i.occurred_at < datetime($end))
  AND id(i) % $parts = $part
MATCH (i)<-[r:OFFENDER_IN|SUSPECT_IN|VICTIM_IN|WITNESS_IN]-(p)
WITH id(i) / $chunk AS chunk, id(p) AS person, id(i) AS incident,
     CASE type(r) WHEN 'OFFENDER_IN' THEN 0 WHEN 'SUSPECT_IN' THEN 1
                  WHEN 'VICTIM_IN' THEN 2 ELSE 3 END AS role
WITH chunk, collect(person) AS person_id, collect(incident) AS incident_id, collect(role) AS role
RETURN person_id, incident_id, role
