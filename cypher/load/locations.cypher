// title: Load locations
// description: MERGE Location nodes by id, with LSOA and WGS84 point where known.
// mode: write
// params: rows list of {location_id, name, lsoa_code, latitude, longitude}
UNWIND $rows AS row
MERGE (l:Location {id: row.location_id})
SET l.name = row.name,
    l.lsoa = row.lsoa_code,
    l.latitude = row.latitude,
    l.longitude = row.longitude,
    l.point = CASE WHEN row.latitude IS NULL THEN null
                   ELSE point({latitude: row.latitude, longitude: row.longitude}) END
