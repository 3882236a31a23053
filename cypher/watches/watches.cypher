// title: Watches
// description: Every (:Watch), or $owner's, or $owner's named $name, by owner then name
//   (graphvc.watches.store).
// mode: read
// params: owner, name text or null
MATCH (w:Watch)
WHERE ($owner IS NULL OR w.watch_owner = $owner) AND ($name IS NULL OR w.watch_name = $name)
RETURN w.watch_name AS name, w.watch_owner AS owner, w.watch_query AS query, w.watch_parameters AS parameters,
       w.watch_schedule AS schedule, w.watch_created AS created, w.watch_last_run AS last_run,
       w.watch_last_hash AS last_hash, w.watch_last_ids AS last_ids, w.watch_delivery AS delivery
ORDER BY owner, name
