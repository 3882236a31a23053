// title: Record a watch's run and its new alerts
// description: The run's time, result hash and row identities on the (:Watch) of $owner named
//   $name, and an (:Alert) it RAISED for each of $alerts whose id no alert has yet (an alert's
//   id is derived from its watch and identity, so a match is alerted once), in one
//   transaction (graphvc.watches.writes.record_run). Returns the ids of the alerts created.
// mode: write
// params: owner, name, hash text; ran_at ISO date-time; identities list of text; alerts list of
//   maps {id, identity, ids, summary}
MATCH (w:Watch {owner: $owner, name: $name})
SET w.last_run = datetime($ran_at), w.last_hash = $hash, w.last_ids = $identities
WITH w
CALL (w) {
  UNWIND $alerts AS row
  OPTIONAL MATCH (old:Alert {id: row.id})
  WITH row WHERE old IS NULL
  CREATE (a:Alert {id: row.id})
  SET a.watch = $name, a.owner = $owner, a.found_at = datetime($ran_at),
      a.identity = row.identity, a.ids = row.ids, a.summary = row.summary, a.status = 'new',
      a.decisions = []
  CREATE (w)-[:RAISED]->(a)
  RETURN collect(a.id) AS created
}
RETURN created
