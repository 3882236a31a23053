// title: Undo an analyst's decision on two person records
// description: Deletes the SAME_AS or NOT_SAME_AS between the two records, either way round
//   (graphvc.identity.undo_decision), and says what it was.
// columns: undone -- the type of the decision deleted (one row per decision; none when the
//   pair had none), by and at its author and moment, reason its reason
// mode: write
// params: person_a, person_b strings
MATCH (:Person {id: $person_a})-[d:SAME_AS|NOT_SAME_AS]-(:Person {id: $person_b})
WITH d, type(d) AS undone, d.by AS by, toString(d.at) AS at, d.reason AS reason
DELETE d
RETURN undone, by, at, reason
