// title: Incidents by borough and continuum category
// description: One row per borough and category with the incidents and their summed harm.
// mode: read
// params: none
MATCH (i:Incident)-[:OCCURRED_AT]->(:Location)-[:IN_WARD]->(:Ward)-[:IN_BOROUGH]->(b:Borough)
RETURN b.name AS borough, i.category AS category, count(i) AS incidents, sum(i.harm) AS harm
