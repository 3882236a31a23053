// title: Does the database hold any node
// description: The bulk first load runs only on an empty database: one node, of any label,
//   is enough to refuse it.
// mode: read
// params: none
MATCH (n)
RETURN elementId(n) AS node
LIMIT 1
