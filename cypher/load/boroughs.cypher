// title: Load boroughs
// description: MERGE Borough nodes by code; a batch of distinct boroughs from locations.
// mode: write
// params: rows list of {borough_code, borough_name}
UNWIND $rows AS row
MERGE (b:Borough {code: row.borough_code})
SET b.name = coalesce(row.borough_name, b.name)
