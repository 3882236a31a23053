// title: Decide an alert
// description: The analyst's decision on the (:Alert) $id: its status, who, when and why, and
//   the decision appended to its history (a JSON text per decision), so a confirmation later
//   dismissed keeps both (graphvc.watches.writes.decide_alert).
// mode: write
// params: id, decision, by text; at ISO date-time; reason text or null; entry JSON text
MATCH (a:Alert {watch_id: $id})
SET a.watch_status = $decision, a.watch_decided_by = $by, a.watch_decided_at = datetime($at), a.watch_reason = $reason,
    a.watch_decisions = coalesce(a.watch_decisions, []) + $entry
RETURN a.watch_id AS id
