// Those of $ids that are the ids of persons in the graph: the people a query run names.
UNWIND $ids AS id
MATCH (p:Person {id: id})
RETURN collect(p.id) AS ids
