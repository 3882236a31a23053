// title: Load persons
// description: MERGE Person nodes by id with the fields used for proportionality monitoring
//   and the identifying fields `graphvc resolve` compares (kept in the graph, never read back).
//   $keep names the columns absent from the file: their values in the graph are kept (a new
//   person takes the row's default).
// mode: write
// params: rows list of {person_id, name, date_of_birth, postcode, pnc_id, age_band, sex, ethnicity}; keep map of column to true
UNWIND $rows AS row
MERGE (p:Person {id: row.person_id})
SET p.name = CASE WHEN $keep.name THEN coalesce(p.name, row.name) ELSE row.name END,
    p.date_of_birth = CASE WHEN $keep.date_of_birth THEN coalesce(p.date_of_birth, row.date_of_birth) ELSE row.date_of_birth END,
    p.postcode = CASE WHEN $keep.postcode THEN coalesce(p.postcode, row.postcode) ELSE row.postcode END,
    p.pnc_id = CASE WHEN $keep.pnc_id THEN coalesce(p.pnc_id, row.pnc_id) ELSE row.pnc_id END,
    p.age_band = CASE WHEN $keep.age_band THEN coalesce(p.age_band, row.age_band) ELSE row.age_band END,
    p.sex = CASE WHEN $keep.sex THEN coalesce(p.sex, row.sex) ELSE row.sex END,
    p.ethnicity = CASE WHEN $keep.ethnicity THEN coalesce(p.ethnicity, row.ethnicity) ELSE row.ethnicity END
