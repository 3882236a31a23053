// title: Incidents and harm by borough
// description: Counts and summed harm of incidents per borough, through location and ward.
// mode: read
// params: none
MATCH (i:Incident)-[:OCCURRED_AT]->(:Location)-[:IN_WARD]->(:Ward)-[:IN_BOROUGH]->(b:Borough)
RETURN b.code AS borough_code, b.name AS borough, count(i) AS incidents, sum(i.harm) AS harm
ORDER BY harm DESC
