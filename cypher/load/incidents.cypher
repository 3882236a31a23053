// title: Load incidents
// description: MERGE Incident nodes by id; occurred_at is an ISO 8601 string with offset.
//   $keep names the columns absent from the file: their values in the graph are kept (a new
//   incident takes the row's default).
// mode: write
// params: rows list of {incident_id, occurred_at, offence, category, weapon, alcohol, domestic, hate, harm, outcome}; keep map of column to true
UNWIND $rows AS row
MERGE (i:Incident {id: row.incident_id})
SET i.occurred_at = datetime(row.occurred_at),
    i.offence = row.offence,
    i.category = CASE WHEN $keep.category THEN coalesce(i.category, row.category) ELSE row.category END,
    i.weapon = CASE WHEN $keep.weapon THEN coalesce(i.weapon, row.weapon) ELSE row.weapon END,
    i.alcohol = CASE WHEN $keep.alcohol THEN coalesce(i.alcohol, row.alcohol) ELSE row.alcohol END,
    i.domestic = CASE WHEN $keep.domestic THEN coalesce(i.domestic, row.domestic) ELSE row.domestic END,
    i.hate = CASE WHEN $keep.hate THEN coalesce(i.hate, row.hate) ELSE row.hate END,
    i.harm = CASE WHEN $keep.harm THEN coalesce(i.harm, row.harm) ELSE row.harm END,
    i.outcome = CASE WHEN $keep.outcome THEN coalesce(i.outcome, row.outcome) ELSE row.outcome END
