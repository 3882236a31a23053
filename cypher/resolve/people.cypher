// title: People to resolve
// description: Every person with the identifying fields `graphvc resolve` compares (name, date
//   of birth, postcode, PNC id). Read by graphvc.resolve only: these properties never leave the
//   database through a report, an export or the query library.
// mode: read
// params: none
MATCH (p:Person)
RETURN p.id AS person_id, p.name AS name, p.date_of_birth AS date_of_birth,
       p.postcode AS postcode, p.pnc_id AS pnc_id
ORDER BY person_id
