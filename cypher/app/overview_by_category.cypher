// title: Incidents and harm by continuum category
// description: Counts and summed harm of incidents per category of the continuum of violence.
// mode: read
// params: none
MATCH (i:Incident)
RETURN i.category AS category, count(*) AS incidents, sum(i.harm) AS harm
ORDER BY harm DESC
