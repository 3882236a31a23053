// title: Save a watch
// description: The (:Watch) of $owner named $name, created unless one exists (which is left as
//   it is): `created` says which (graphvc.watches.writes.save_watch). Every property of a
//   Watch or Alert is named watch_*: the query library's name guard refuses any read of such
//   a key, however a query reaches the node.
// mode: write
// params: owner, name, query, schedule text; parameters, delivery JSON text (delivery may be
//   null); created ISO date-time
MERGE (w:Watch {watch_owner: $owner, watch_name: $name})
ON CREATE SET w.watch_query = $query, w.watch_parameters = $parameters, w.watch_schedule = $schedule,
              w.watch_delivery = $delivery, w.watch_created = datetime($created), w.watch_last_ids = [],
              w.watch_new = true
WITH w, w.watch_new IS NOT NULL AS created
REMOVE w.watch_new
RETURN created
