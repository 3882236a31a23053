// title: Associations for analysis
// description: Every intelligence link, as the contract's associations table.
// columns: rows -- one list per row, in the contract's column order (graphvc.contract.read_columns)
// mode: read
// params: none
MATCH (a:Person)-[r:ASSOCIATE_OF]->(b:Person)
RETURN collect([a.id, b.id, r.type, r.weight, r.source]) AS rows
