// title: Incidents for analysis
// description: Incidents in the window [$start, $end) of the given categories and boroughs
//   (null means no filter), as the input contract's incidents table.
// columns: rows -- one list per row, in the contract's column order (graphvc.contract.read_columns)
// mode: read
// params: start, end ISO date-time or null; categories list of string or null; boroughs list of borough codes or null
MATCH (i:Incident)
WHERE i.occurred_at IS NOT NULL
  AND ($start IS NULL OR i.occurred_at >= datetime($start))
  AND ($end IS NULL OR i.occurred_at < datetime($end))
  AND ($categories IS NULL OR i.category IN $categories)
OPTIONAL MATCH (i)-[:OCCURRED_AT]->(l:Location)
OPTIONAL MATCH (l)-[:IN_WARD]->(:Ward)-[:IN_BOROUGH]->(b:Borough)
WITH i, l, b
WHERE $boroughs IS NULL OR b.code IN $boroughs
// One row of rows: lists decode far faster through Bolt than one record per incident.
RETURN collect([i.id, toString(localdatetime(datetime({datetime: i.occurred_at, timezone: 'Europe/London'}))),
                i.offence, i.category, i.weapon, i.alcohol, i.domestic, i.hate, i.harm, i.outcome,
                l.id]) AS rows
