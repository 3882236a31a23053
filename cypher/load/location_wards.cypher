// title: Link locations to their wards
// description: (:Location)-[:IN_WARD]->(:Ward); a location lies in one ward, so a stale link is removed.
// mode: write
// params: rows list of {location_id, ward_code}
UNWIND $rows AS row
MATCH (l:Location {id: row.location_id})
MATCH (w:Ward {code: row.ward_code})
WITH l, w, [(l)-[r:IN_WARD]->(other) WHERE other <> w | r] AS stale
FOREACH (r IN stale | DELETE r)
MERGE (l)-[:IN_WARD]->(w)
