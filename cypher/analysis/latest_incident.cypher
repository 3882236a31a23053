// title: When the latest incident occurred
// description: The default "as of" moment of an analysis is the day after this. Incidents
//   after $until (now) are mistakes in the data and are not counted.
// mode: read
MATCH (i:Incident)
WHERE $until IS NULL OR i.occurred_at <= datetime($until)
RETURN toString(max(i.occurred_at)) AS latest
