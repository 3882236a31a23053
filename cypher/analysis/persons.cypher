// title: Persons for analysis
// description: Every person's id and the fields for proportionality monitoring; names stay in the database.
// mode: read
// params: none
MATCH (p:Person)
RETURN p.id AS person_id, p.age_band AS age_band, p.sex AS sex, p.ethnicity AS ethnicity
