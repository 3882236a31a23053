// title: Load wards
// description: MERGE Ward nodes by code (boroughs are loaded first).
// mode: write
// params: rows list of {ward_code, ward_name}
UNWIND $rows AS row
MERGE (w:Ward {code: row.ward_code})
SET w.name = coalesce(row.ward_name, w.name)
