// title: Locations for analysis
// description: Every location with its ward and borough, as the contract's locations table (no names of people).
// mode: read
// params: none
MATCH (l:Location)
OPTIONAL MATCH (l)-[:IN_WARD]->(w:Ward)
OPTIONAL MATCH (w)-[:IN_BOROUGH]->(b:Borough)
RETURN l.id AS location_id, l.name AS name, l.lsoa AS lsoa_code, w.code AS ward_code, w.name AS ward_name,
       b.code AS borough_code, b.name AS borough_name, l.latitude AS latitude, l.longitude AS longitude
