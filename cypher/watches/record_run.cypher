// title: Record a watch's run and its new alerts
// description: The run's time, result hash and row identities on the (:Watch) of $owner named
//   $name, and an (:Alert) it RAISED for each of $alerts whose id no alert has yet (an alert's
//   id is derived from its watch and identity, so a match is alerted once), in one
//   transaction (graphvc.watches.writes.record_run). Returns the ids of the alerts created.
// mode: write
// params: owner, name, hash text; ran_at ISO date-time; identities list of text; alerts list of
//   maps {id, identity, ids, summary}
MATCH (w:Watch {watch_owner: $owner, watch_name: $name})
SET w.watch_last_run = datetime($ran_at), w.watch_last_hash = $hash, w.watch_last_ids = $identities
WITH w
CALL (w) {
  UNWIND $alerts AS row
  OPTIONAL MATCH (old:Alert {watch_id: row.id})
  WITH row WHERE old IS NULL
  CREATE (a:Alert {watch_id: row.id})
  SET a.watch_name = $name, a.watch_owner = $owner, a.watch_found_at = datetime($ran_at),
      a.watch_identity = row.identity, a.watch_ids = row.ids, a.watch_summary = row.summary, a.watch_status = 'new',
      a.watch_decisions = []
  CREATE (w)-[:RAISED]->(a)
  RETURN collect(a.watch_id) AS created
}
RETURN created
