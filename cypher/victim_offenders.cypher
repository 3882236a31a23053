// title: Victims who also offend
// description: People who were victims in some incidents and offenders or suspects in others
//   within [$start, $end): the victim-offender overlap, with which came first.
// team: all teams
// param start: datetime, default null, example "2024-01-01T00:00:00" -- window start, inclusive (London time unless it has an offset)
// param end: datetime, default null, example "2025-01-03T00:00:00" -- window end, exclusive
// param limit: integer, default 100, min 1, max 10000 -- the most rows returned
// column person_id: the person's id
// column victimisations: incidents in which they were a victim
// column offences: incidents in which they were an offender or suspect
// column harm_suffered: total crime harm of the incidents they suffered
// column harm_caused: total crime harm of the incidents they offended in
// column first_victimised_at: their first victimisation
// column first_offended_at: their first offence
// column victimised_first: true when the first victimisation came before the first offence
// mode: read
MATCH (p:Person)-[:VICTIM_IN]->(v:Incident)
WHERE ($start IS NULL OR v.occurred_at >= datetime($start))
  AND ($end IS NULL OR v.occurred_at < datetime($end))
WITH p, count(v) AS victimisations, sum(v.harm) AS harm_suffered,
     min(v.occurred_at) AS first_victimised_at
MATCH (p)-[:OFFENDER_IN|SUSPECT_IN]->(o:Incident)
WHERE ($start IS NULL OR o.occurred_at >= datetime($start))
  AND ($end IS NULL OR o.occurred_at < datetime($end))
WITH DISTINCT p, victimisations, harm_suffered, first_victimised_at, o
WITH p, victimisations, harm_suffered, first_victimised_at, count(o) AS offences,
     sum(o.harm) AS harm_caused, min(o.occurred_at) AS first_offended_at
RETURN p.id AS person_id, victimisations, offences, harm_suffered, harm_caused,
       first_victimised_at, first_offended_at, first_victimised_at < first_offended_at AS victimised_first
ORDER BY victimisations + offences DESC, person_id
LIMIT $limit
