// title: Incidents and harm by borough
// description: Counts and summed harm of incidents per borough, through location and ward, with
//   the borough's centroid: the mean latitude and longitude of its locations.
// mode: read
// params: none
MATCH (l:Location)-[:IN_WARD]->(:Ward)-[:IN_BOROUGH]->(b:Borough)
OPTIONAL MATCH (i:Incident)-[:OCCURRED_AT]->(l)
WITH b, l, count(i) AS incidents, sum(i.harm) AS harm
WITH b, sum(incidents) AS incidents, sum(harm) AS harm,
     avg(l.latitude) AS latitude, avg(l.longitude) AS longitude
WHERE incidents > 0
RETURN b.code AS borough_code, b.name AS borough, incidents, harm, latitude, longitude
ORDER BY harm DESC
