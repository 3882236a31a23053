// title: When the latest incident occurred
// description: The default "as of" moment of an analysis is the day after this.
// mode: read
// params: none
MATCH (i:Incident)
RETURN toString(max(i.occurred_at)) AS latest
