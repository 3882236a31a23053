// title: Knife or gun incidents in a top-decile harm ward
// description: Knife- or gun-enabled incidents ($categories) of the $recent_days days up to
//   $as_of in the wards whose incidents of the $harm_days days up to $as_of carry the most
//   crime harm (Cambridge Crime Harm Index; Sherman et al.): the top decile, the wards at or
//   above the 90th percentile (percentileCont) of the harm of the wards with any. $as_of
//   defaults to the newest incident's time. One row per incident, newest first. Watch it:
//   graphvc watch add weapon-high-harm --query weapon_in_high_harm_ward --schedule daily
// team: gangs and firearms
// param categories: list<string>, default ["gun_enabled", "knife_enabled"], one of gun_enabled|knife_enabled|personal_robbery|alcohol_related|domestic_abuse|hate_crime|rape_sexual|other_violence -- the incidents' categories
// param recent_days: integer, default 28, min 1, max 3660 -- how far back an incident counts as recent
// param harm_days: integer, default 365, min 1, max 3660 -- the period whose harm ranks the wards
// param as_of: datetime, default null, example "2025-01-03T00:00:00" -- the end of both periods (default: the newest incident)
// param limit: integer, default 200, min 1, max 10000 -- the most rows returned
// column incident_id: the incident's id
// column category: its continuum category
// column occurred_at: when it occurred
// column ward_code: the ward's code (ONS)
// column ward_harm: the ward's total crime harm in the harm period
// mode: read
CALL () {
  MATCH (last:Incident)
  RETURN coalesce(datetime($as_of), max(last.occurred_at)) AS as_of
}
CALL (as_of) {
  MATCH (i:Incident)-[:OCCURRED_AT]->(:Location)-[:IN_WARD]->(w:Ward)
  WHERE i.occurred_at > as_of - duration({days: $harm_days}) AND i.occurred_at <= as_of
  WITH w, sum(coalesce(i.harm, 0.0)) AS harm
  WHERE harm > 0
  RETURN collect({code: w.code, harm: harm}) AS wards, percentileCont(harm, 0.9) AS threshold
}
UNWIND wards AS ward
WITH as_of, ward WHERE ward.harm >= threshold
MATCH (w:Ward {code: ward.code})<-[:IN_WARD]-(:Location)<-[:OCCURRED_AT]-(k:Incident)
WHERE k.category IN $categories
  AND k.occurred_at > as_of - duration({days: $recent_days}) AND k.occurred_at <= as_of
RETURN k.id AS incident_id, k.category AS category, k.occurred_at AS occurred_at,
       w.code AS ward_code, ward.harm AS ward_harm
ORDER BY occurred_at DESC, incident_id
LIMIT $limit
