// title: Associations for analysis
// description: Every intelligence link, as the contract's associations table.
// columns: rows -- one record per chunk of rows (as incidents.cypher), one list per row, in
//   the contract's column order (graphvc.contract.read_columns)
// mode: read
// params: chunk integer: the rows of each record are the relationships whose id(r) / chunk
//   is the same
MATCH (a:Person)-[r:ASSOCIATE_OF]->(b:Person)
WITH id(r) / $chunk AS chunk, [a.id, b.id, r.type, r.weight, r.source] AS row
WITH chunk, collect(row) AS rows
RETURN rows
