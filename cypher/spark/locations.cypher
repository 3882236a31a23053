// title: Locations for the Spark engine
// description: Every location with its ward and borough, one row per location.
// columns: location_id, name, lsoa_code, ward_code, ward_name, borough_code, borough_name, latitude,
//   longitude
// mode: read
// params: part, parts integers: the rows whose id(l) % parts = part, as in
//   incidents.cypher ({{PARAMETERS}}).
{{PARAMETERS}}
MATCH (l:Location)
WHERE id(l) % parts = part
OPTIONAL MATCH (l)-[:IN_WARD]->(w:Ward)
OPTIONAL MATCH (w)-[:IN_BOROUGH]->(b:Borough)
RETURN l.id AS location_id, l.name AS name, l.lsoa AS lsoa_code, w.code AS ward_code,
       w.name AS ward_name, b.code AS borough_code, b.name AS borough_name,
       l.latitude AS latitude, l.longitude AS longitude
