// title: Involvements for analysis
// description: Who took part, and how, in the incidents that incidents.cypher selects with the
//   same filters, as the input contract's involvements table.
// columns: rows -- one list per row, in the contract's column order (graphvc.contract.read_columns)
// mode: read
// params: start, end ISO date-time or null; categories list of string or null; boroughs list of borough codes or null
MATCH (p:Person)-[r:OFFENDER_IN|SUSPECT_IN|VICTIM_IN|WITNESS_IN]->(i:Incident)
WHERE ($start IS NULL OR i.occurred_at >= datetime($start))
  AND ($end IS NULL OR i.occurred_at < datetime($end))
  AND ($categories IS NULL OR i.category IN $categories)
  AND ($boroughs IS NULL OR EXISTS {
        MATCH (i)-[:OCCURRED_AT]->(:Location)-[:IN_WARD]->(:Ward)-[:IN_BOROUGH]->(b:Borough)
        WHERE b.code IN $boroughs })
RETURN collect([p.id, i.id,
       CASE type(r) WHEN 'OFFENDER_IN' THEN 'offender' WHEN 'SUSPECT_IN' THEN 'suspect'
                    WHEN 'VICTIM_IN' THEN 'victim' ELSE 'witness' END]) AS rows
