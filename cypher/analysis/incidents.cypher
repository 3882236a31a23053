// title: Incidents for analysis
// description: Incidents in the window [$start, $end) (null: open), as the input contract's
//   incidents table; occurred_at as epoch milliseconds (graphvc.graph_tables makes it London
//   wall-clock time: converting on the server costs more than the rest of the query).
// columns: rows -- one record per chunk of rows, the rows in no order, one list per row: the
//   node's internal id (id(i): involvements name incidents by it), then the contract's
//   columns in order, location_id as the location's internal id (graphvc.graph_tables puts
//   the keys back: reading a key per row costs the server more)
// mode: read
// params: start, end ISO date-time with offset, or null; part, parts integers: the incidents
//   whose id(i) % parts = part (0 and 1 for the whole graph; graphvc.graph_tables reads
//   the largest tables in parts at once, so the server produces them on two cores); chunk
//   integer: the rows of each record are the incidents whose id(i) / chunk is the same
MATCH (i:Incident)
WHERE id(i) % $parts = $part
// Each incident's properties read once, as a map: reading them one by one walks the node's
// property chain again for each (0.7 to 1 s of the server's 5 s at 1,000,000 incidents).
WITH i, properties(i) AS p
WHERE p.occurred_at IS NOT NULL
  AND ($start IS NULL OR p.occurred_at >= datetime($start))
  AND ($end IS NULL OR p.occurred_at < datetime($end))
OPTIONAL MATCH (i)-[:OCCURRED_AT]->(l:Location)
// A few records of many rows each: lists decode far faster through Bolt than one record per
// incident, and the driver decodes each record while the server sends the next.
WITH id(i) / $chunk AS chunk,
     [id(i), p.id, p.occurred_at.epochMillis, p.offence, p.category, p.weapon, p.alcohol,
      p.domestic, p.hate, p.harm, p.outcome, id(l)] AS row
WITH chunk, collect(row) AS rows
RETURN rows
