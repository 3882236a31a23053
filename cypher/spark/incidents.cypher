// title: Incidents for the Spark engine
// description: The incidents of the window [start, end) (null: open), one row per incident,
//   as the input contract's incidents table; read by the Neo4j Connector for Apache Spark in
//   partitions (graphvc.spark.read). occurred_at as epoch milliseconds (Spark makes it London
//   wall-clock time).
// columns: incident_id, occurred_at, offence, category, weapon, alcohol, domestic, hate, harm,
//   outcome, location_id
// mode: read
// params: start, end ISO date-time with offset, or null; part, parts integers: the rows of
//   the incidents whose id(i) % parts = part. The connector's query mode takes no parameters,
//   so graphvc.spark.read writes them as the literals of the WITH at the top ({{PARAMETERS}}),
//   from dates and integers it formats itself, never from text it was given; it reads the
//   parts as one Spark partition each, at once (a partitioned read without SKIP/LIMIT, which
//   would need an ORDER BY the server sorts again for each partition).
{{PARAMETERS}}
MATCH (i:Incident)
WHERE id(i) % parts = part
WITH i, properties(i) AS p, start, end
WHERE p.occurred_at IS NOT NULL
  AND (start IS NULL OR p.occurred_at >= datetime(start))
  AND (end IS NULL OR p.occurred_at < datetime(end))
OPTIONAL MATCH (i)-[:OCCURRED_AT]->(l:Location)
RETURN p.id AS incident_id, p.occurred_at.epochMillis AS occurred_at, p.offence AS offence,
       p.category AS category, p.weapon AS weapon, p.alcohol AS alcohol, p.domestic AS domestic,
       p.hate AS hate, p.harm AS harm, p.outcome AS outcome, l.id AS location_id
