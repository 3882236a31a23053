// title: Risk assessments for analysis
// description: Every risk assessment of a person after an incident, as the input contract's
//   risk_assessments table; assessed_at as epoch milliseconds, made London wall-clock time
//   by graphvc.graph_tables like occurred_at.
// columns: rows -- one list per row, in the contract's column order (graphvc.contract.read_columns)
// mode: read
// params: none
MATCH (p:Person)-[a:ASSESSED]->(i:Incident)
RETURN collect([p.id, i.id, a.assessed_at.epochMillis, a.tool, a.level]) AS rows
