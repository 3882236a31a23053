// title: Load locations
// description: MERGE Location nodes by id, with LSOA and WGS84 point where known. $keep names
//   the columns absent from the file: their values in the graph are kept (latitude's keeps the
//   point too).
// mode: write
// params: rows list of {location_id, name, lsoa_code, latitude, longitude}; keep map of column to true
UNWIND $rows AS row
MERGE (l:Location {id: row.location_id})
SET l.name = CASE WHEN $keep.name THEN coalesce(l.name, row.name) ELSE row.name END,
    l.lsoa = CASE WHEN $keep.lsoa_code THEN coalesce(l.lsoa, row.lsoa_code) ELSE row.lsoa_code END,
    l.latitude = CASE WHEN $keep.latitude THEN coalesce(l.latitude, row.latitude) ELSE row.latitude END,
    l.longitude = CASE WHEN $keep.longitude THEN coalesce(l.longitude, row.longitude) ELSE row.longitude END,
    l.point = CASE WHEN $keep.latitude OR $keep.longitude THEN l.point
                   WHEN row.latitude IS NULL THEN null
                   ELSE point({latitude: row.latitude, longitude: row.longitude}) END
