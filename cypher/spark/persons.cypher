// title: Persons for the Spark engine
// description: Every person's id and the fields for proportionality monitoring, one row per
//   person (names stay in the database); read by the connector in partitions.
// columns: person_id, age_band, sex, ethnicity
// mode: read
// params: part, parts integers: the rows whose id(p) % parts = part, as in
//   incidents.cypher ({{PARAMETERS}}).
{{PARAMETERS}}
MATCH (p:Person)
WHERE id(p) % parts = part
RETURN p.id AS person_id, p.age_band AS age_band, p.sex AS sex, p.ethnicity AS ethnicity
