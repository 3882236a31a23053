// title: Link wards to their boroughs
// description: (:Ward)-[:IN_BOROUGH]->(:Borough); a ward belongs to one borough, so a stale link is removed.
// mode: write
// params: rows list of {ward_code, borough_code}
UNWIND $rows AS row
MATCH (w:Ward {code: row.ward_code})
MATCH (b:Borough {code: row.borough_code})
WITH w, b, [(w)-[r:IN_BOROUGH]->(other) WHERE other <> b | r] AS stale
FOREACH (r IN stale | DELETE r)
MERGE (w)-[:IN_BOROUGH]->(b)
