// title: Decide an alert
// description: The analyst's decision on the (:Alert) $id: its status, who, when and why, and
//   the decision appended to its history (a JSON text per decision), so a confirmation later
//   dismissed keeps both (graphvc.watches.writes.decide_alert).
// mode: write
// params: id, decision, by text; at ISO date-time; reason text or null; entry JSON text
MATCH (a:Alert {id: $id})
SET a.status = $decision, a.decided_by = $by, a.decided_at = datetime($at), a.reason = $reason,
    a.decisions = coalesce(a.decisions, []) + $entry
RETURN a.id AS id
