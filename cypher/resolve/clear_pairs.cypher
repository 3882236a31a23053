// title: Clear the candidate pairs
// description: Delete every POSSIBLY_SAME_AS relationship, the previous `graphvc resolve` run's
//   candidate pairs, in batches so that a million of them fit in the transaction memory.
// mode: write
// params: none
MATCH ()-[r:POSSIBLY_SAME_AS]->()
CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS
