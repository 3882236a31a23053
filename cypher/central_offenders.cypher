// title: Top central offenders
// description: People of the co-offending network by the scores `graphvc analyse` wrote back,
//   most central (betweenness: brokers between groups) first, then by priority rank;
//   optionally of one community. Run `graphvc analyse` first: without scores, no rows. Only
//   the scores of the newest stored run: those of a run still writing them back, or killed
//   before it was stored, are left out.
// team: gangs and firearms
// param community: integer, default null, example 0 -- only this community (score_community; default: all)
// param limit: integer, default 20, min 1, max 10000 -- the most rows returned
// column person_id: the person's id
// column betweenness: betweenness centrality in the co-offending network (Brandes)
// column degree: co-offenders in the network
// column harm_pagerank: harm-weighted PageRank
// column priority: combined priority score (recency, frequency, gravity and network position)
// column priority_rank: rank by priority (1 = highest)
// column community: community (Leiden) in the co-offending network
// column escalated: escalated to knife or gun crime
// column scored_at: when the scores were written
// mode: read
OPTIONAL MATCH (run:AnalysisRun)
WITH max(run.finished_at) AS listed
MATCH (p:Person)
WHERE p.score_betweenness IS NOT NULL
  AND (listed IS NULL OR p.scored_at = listed)
  AND ($community IS NULL OR p.score_community = $community)
RETURN p.id AS person_id, p.score_betweenness AS betweenness, p.score_degree AS degree,
       p.score_harm_pagerank AS harm_pagerank, p.score_priority AS priority,
       p.score_priority_rank AS priority_rank, p.score_community AS community,
       p.score_escalated AS escalated, p.scored_at AS scored_at
ORDER BY betweenness DESC, priority_rank, person_id
LIMIT $limit
