// title: Alerts
// description: The (:Alert) $id, or $owner's alerts (of $status only when given), newest first
//   (graphvc.watches.store).
// mode: read
// params: id, owner, status text or null
MATCH (a:Alert)
WHERE ($id IS NULL OR a.watch_id = $id) AND ($owner IS NULL OR a.watch_owner = $owner)
  AND ($status IS NULL OR a.watch_status = $status)
RETURN a.watch_id AS id, a.watch_name AS watch, a.watch_owner AS owner, a.watch_found_at AS found_at, a.watch_ids AS ids,
       a.watch_summary AS summary, a.watch_status AS status, a.watch_decided_by AS decided_by,
       a.watch_decided_at AS decided_at, a.watch_reason AS reason, a.watch_decisions AS decisions
ORDER BY found_at DESC, id
