// title: Load incidents
// description: MERGE Incident nodes by id; occurred_at is an ISO 8601 string with offset.
// mode: write
// params: rows list of {incident_id, occurred_at, offence, category, weapon, alcohol, domestic, hate, harm, outcome}
UNWIND $rows AS row
MERGE (i:Incident {id: row.incident_id})
SET i.occurred_at = datetime(row.occurred_at),
    i.offence = row.offence,
    i.category = row.category,
    i.weapon = row.weapon,
    i.alcohol = row.alcohol,
    i.domestic = row.domestic,
    i.hate = row.hate,
    i.harm = row.harm,
    i.outcome = row.outcome
