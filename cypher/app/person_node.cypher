// title: A person, for their profile
// description: The person with this id and the fields proportionality monitoring shows (never
//   their name, which stays in the database); no row when no person has this id.
// mode: read
// params: person_id string
MATCH (p:Person {id: $person_id})
RETURN p.id AS person_id, p.age_band AS age_band, p.sex AS sex, p.ethnicity AS ethnicity
