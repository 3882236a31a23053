// title: Involvements for analysis
// description: Who took part, and how, in the incidents of the window [$start, $end) (null:
//   open) that incidents.cypher reads, as the input contract's involvements table.
// columns: rows -- one list per row, in the contract's column order (graphvc.contract.read_columns),
//   person and incident as internal ids (id(p), id(i)), which graphvc.graph_tables turns into
//   their keys from the persons and incidents tables: reading p.id and i.id per row would
//   cost the server half as much again
// mode: read
// params: start, end ISO date-time with offset, or null; part, parts integers: the incidents
//   whose id(i) % parts = part (0 and 1 for the whole graph; graphvc.graph_tables reads
//   the largest tables in parts at once, so the server produces them on two cores)
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
RETURN collect([id(p), id(i),
       CASE type(r) WHEN 'OFFENDER_IN' THEN 'offender' WHEN 'SUSPECT_IN' THEN 'suspect'
                    WHEN 'VICTIM_IN' THEN 'victim' ELSE 'witness' END]) AS rows
