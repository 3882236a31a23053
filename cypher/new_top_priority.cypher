// title: The top of the priority list
// description: The people ranked 1 to $top on the priority list by the newest stored analysis
//   run (`graphvc analyse`; without scores, no rows). A watch on it alerts on each person
//   who enters the top $top. Watch it:
//   graphvc watch add top-20 --query new_top_priority --schedule weekly
// team: all teams
// param top: integer, default 20, min 1, max 1000 -- how far down the list
// param limit: integer, default 1000, min 1, max 10000 -- the most rows returned
// column person_id: the person's id
// column priority_rank: rank by priority (1 = highest)
// column priority: combined priority score (recency, frequency, gravity and network position)
// column scored_at: when the scores were written
// mode: read
OPTIONAL MATCH (run:AnalysisRun)
WITH max(run.finished_at) AS listed
MATCH (p:Person)
WHERE p.score_priority_rank IS NOT NULL AND p.score_priority_rank <= $top
  AND (listed IS NULL OR p.scored_at = listed)
RETURN p.id AS person_id, p.score_priority_rank AS priority_rank, p.score_priority AS priority,
       p.scored_at AS scored_at
ORDER BY priority_rank, person_id
LIMIT $limit
