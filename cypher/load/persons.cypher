// title: Load persons
// description: MERGE Person nodes by id with the fields used for proportionality monitoring.
// mode: write
// params: rows list of {person_id, name, age_band, sex, ethnicity}
UNWIND $rows AS row
MERGE (p:Person {id: row.person_id})
SET p.name = row.name,
    p.age_band = row.age_band,
    p.sex = row.sex,
    p.ethnicity = row.ethnicity
