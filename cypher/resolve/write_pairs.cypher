// title: Write candidate pairs
// description: One POSSIBLY_SAME_AS relationship per candidate pair of `graphvc resolve`, from
//   the lower person id to the higher, with its match probability, the model and time of the
//   run, the cluster (at the run's threshold) and splink's evidence.
// mode: write
// params: rows list of {a, b, probability, cluster, evidence, agreed}; model string; run_at datetime
UNWIND $rows AS row
MATCH (a:Person {id: row.a})
MATCH (b:Person {id: row.b})
CREATE (a)-[:POSSIBLY_SAME_AS {probability: row.probability, model: $model, run_at: $run_at,
                               cluster: row.cluster, evidence: row.evidence, agreed: row.agreed}]->(b)
