// title: Risk assessments for analysis
// description: Every risk assessment of a person after an incident, as the input contract's
//   risk_assessments table; assessed_at as epoch milliseconds, made London wall-clock time
//   by graphvc.graph_tables like occurred_at.
// columns: rows -- one record per chunk of rows (as incidents.cypher), one list per row, in
//   the contract's column order (graphvc.contract.read_columns)
// mode: read
// params: chunk integer: the rows of each record are the relationships whose id(a) / chunk
//   is the same
MATCH (p:Person)-[a:ASSESSED]->(i:Incident)
WITH id(a) / $chunk AS chunk, [p.id, i.id, a.assessed_at.epochMillis, a.tool, a.level] AS row
WITH chunk, collect(row) AS rows
RETURN rows
