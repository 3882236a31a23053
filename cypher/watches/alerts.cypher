// title: Alerts
// description: The (:Alert) $id, or $owner's alerts (of $status only when given), newest first
//   (graphvc.watches.store).
// mode: read
// params: id, owner, status text or null
MATCH (a:Alert)
WHERE ($id IS NULL OR a.id = $id) AND ($owner IS NULL OR a.owner = $owner)
  AND ($status IS NULL OR a.status = $status)
RETURN a.id AS id, a.watch AS watch, a.owner AS owner, a.found_at AS found_at, a.ids AS ids,
       a.summary AS summary, a.status AS status, a.decided_by AS decided_by,
       a.decided_at AS decided_at, a.reason AS reason, a.decisions AS decisions
ORDER BY found_at DESC, id
