// title: Incidents for analysis
// description: Incidents in the window [$start, $end) of the given categories and boroughs
//   (null means no filter), as the input contract's incidents table.
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
RETURN i.id AS incident_id, toString(localdatetime(datetime({datetime: i.occurred_at, timezone: 'Europe/London'}))) AS occurred_at, i.offence AS offence,
       i.category AS category, i.weapon AS weapon, i.alcohol AS alcohol, i.domestic AS domestic,
       i.hate AS hate, i.harm AS harm, i.outcome AS outcome, l.id AS location_id
