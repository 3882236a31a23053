// title: Remove a watch
// description: Delete the (:Watch) of $owner named $name; its alerts stay, for the record of
//   what was found and decided (graphvc.watches.writes.delete_watch).
// mode: write
// params: owner, name text
MATCH (w:Watch {watch_owner: $owner, watch_name: $name})
DETACH DELETE w
RETURN count(*) AS removed
