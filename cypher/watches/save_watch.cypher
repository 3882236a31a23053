// title: Save a watch
// description: The (:Watch) of $owner named $name, created unless one exists (which is left as
//   it is): `created` says which (graphvc.watches.writes.save_watch).
// mode: write
// params: owner, name, query, schedule text; parameters, delivery JSON text (delivery may be
//   null); created ISO date-time
MERGE (w:Watch {owner: $owner, name: $name})
ON CREATE SET w.query = $query, w.parameters = $parameters, w.schedule = $schedule,
              w.delivery = $delivery, w.created = datetime($created), w.last_ids = [],
              w.new = true
WITH w, w.new IS NOT NULL AS created
REMOVE w.new
RETURN created
