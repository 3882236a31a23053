// title: Persons for analysis
// description: Every person's id and the fields for proportionality monitoring; names stay in the database.
// columns: rows -- one list per row: the node's internal id (id(p): other tables name persons by it),
//   then the contract's columns in order (graphvc.contract.read_columns)
// mode: read
// params: none
MATCH (p:Person)
RETURN collect([id(p), p.id, p.age_band, p.sex, p.ethnicity]) AS rows
