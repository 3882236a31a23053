// title: Locations for analysis
// description: Every location with its ward and borough, as the contract's locations table (no names of people).
// columns: rows -- one list per row: the node's internal id (id(l): incidents name locations by it),
//   then the contract's columns in order (graphvc.contract.read_columns)
// mode: read
// params: none
MATCH (l:Location)
OPTIONAL MATCH (l)-[:IN_WARD]->(w:Ward)
OPTIONAL MATCH (w)-[:IN_BOROUGH]->(b:Borough)
RETURN collect([id(l), l.id, l.name, l.lsoa, w.code, w.name, b.code, b.name, l.latitude,
                l.longitude]) AS rows
