// title: Persons for analysis
// description: Every person's id and the fields for proportionality monitoring; names stay in the database.
// columns: rows -- one list per row, in the contract's column order (graphvc.contract.read_columns)
// mode: read
// params: none
MATCH (p:Person)
RETURN collect([p.id, p.age_band, p.sex, p.ethnicity]) AS rows
