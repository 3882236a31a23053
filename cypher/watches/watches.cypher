// title: Watches
// description: Every (:Watch), or $owner's, or $owner's named $name, by owner then name
//   (graphvc.watches.store).
// mode: read
// params: owner, name text or null
MATCH (w:Watch)
WHERE ($owner IS NULL OR w.owner = $owner) AND ($name IS NULL OR w.name = $name)
RETURN w.name AS name, w.owner AS owner, w.query AS query, w.parameters AS parameters,
       w.schedule AS schedule, w.created AS created, w.last_run AS last_run,
       w.last_hash AS last_hash, w.last_ids AS last_ids, w.delivery AS delivery
ORDER BY owner, name
