// title: Candidate duplicates and decisions
// description: Every pair of person records that graphvc resolve proposed
//   (POSSIBLY_SAME_AS) or an analyst decided (SAME_AS, NOT_SAME_AS), with the identifying
//   fields of both records side by side, for the identities page and the person profile.
//   Identifying fields stay in the app: never exported or put in reports.
// columns: person_a, person_b -- the pair (lower id first); probability, model, run_at,
//   cluster, evidence (JSON text), agreed (list) -- resolve's proposal, null when none;
//   decision ("confirmed", "rejected" or null), decided_by, decided_at, reason -- the
//   analyst's; name_a, name_b, date_of_birth_a, date_of_birth_b, postcode_a, postcode_b,
//   pnc_id_a, pnc_id_b -- the fields compared
// mode: read
// params: person_id string or null: only the pairs of this person (null: every pair)
MATCH (a:Person)-[r:POSSIBLY_SAME_AS|SAME_AS|NOT_SAME_AS]->(b:Person)
WHERE $person_id IS NULL OR a.id = $person_id OR b.id = $person_id
WITH a, b, collect(r) AS found
WITH a, b,
     [r IN found WHERE type(r) = 'POSSIBLY_SAME_AS'][0] AS c,
     [r IN found WHERE type(r) <> 'POSSIBLY_SAME_AS'][0] AS d
RETURN a.id AS person_a, b.id AS person_b,
       c.probability AS probability, c.model AS model, toString(c.run_at) AS run_at,
       c.cluster AS cluster, c.evidence AS evidence, c.agreed AS agreed,
       CASE type(d) WHEN 'SAME_AS' THEN 'confirmed' WHEN 'NOT_SAME_AS' THEN 'rejected' END
         AS decision,
       d.by AS decided_by, toString(d.at) AS decided_at, d.reason AS reason,
       a.name AS name_a, b.name AS name_b,
       toString(a.date_of_birth) AS date_of_birth_a, toString(b.date_of_birth) AS date_of_birth_b,
       a.postcode AS postcode_a, b.postcode AS postcode_b,
       a.pnc_id AS pnc_id_a, b.pnc_id AS pnc_id_b
ORDER BY coalesce(probability, 0.0) DESC, person_a, person_b
