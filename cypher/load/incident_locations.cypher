// title: Link incidents to where they occurred
// description: (:Incident)-[:OCCURRED_AT]->(:Location); an incident has one place, so a stale link is removed.
// mode: write
// params: rows list of {incident_id, location_id}
UNWIND $rows AS row
MATCH (i:Incident {id: row.incident_id})
MATCH (l:Location {id: row.location_id})
WITH i, l, [(i)-[r:OCCURRED_AT]->(other) WHERE other <> l | r] AS stale
FOREACH (r IN stale | DELETE r)
MERGE (i)-[:OCCURRED_AT]->(l)
