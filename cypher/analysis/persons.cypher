// title: Persons for analysis
// description: Every person's id and the fields for proportionality monitoring; names stay in the database.
// columns: rows -- one record per chunk of rows (as incidents.cypher), one list per row: the
//   node's internal id (id(p): other tables name persons by it), then the contract's columns
//   in order (graphvc.contract.read_columns)
// mode: read
// params: chunk integer: the rows of each record are the persons whose id(p) / chunk is the
//   same
MATCH (p:Person)
WITH id(p) / $chunk AS chunk, [id(p), p.id, p.age_band, p.sex, p.ethnicity] AS row
WITH chunk, collect(row) AS rows
RETURN rows
