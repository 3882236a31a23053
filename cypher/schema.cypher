// title: Schema of the graphvc graph model
// description: Uniqueness constraints (each also backs an index) and lookup indexes.
//   Applied by `graphvc db init`; every statement is IF NOT EXISTS, so re-running is harmless.
//   Keep in step with graphvc/model.py and the model diagram in docs/methods/graph-model.md.

CREATE CONSTRAINT person_id IF NOT EXISTS FOR (p:Person) REQUIRE p.id IS UNIQUE;
CREATE CONSTRAINT incident_id IF NOT EXISTS FOR (i:Incident) REQUIRE i.id IS UNIQUE;
CREATE CONSTRAINT location_id IF NOT EXISTS FOR (l:Location) REQUIRE l.id IS UNIQUE;
CREATE CONSTRAINT ward_code IF NOT EXISTS FOR (w:Ward) REQUIRE w.code IS UNIQUE;
CREATE CONSTRAINT borough_code IF NOT EXISTS FOR (b:Borough) REQUIRE b.code IS UNIQUE;
CREATE CONSTRAINT analysis_run_id IF NOT EXISTS FOR (r:AnalysisRun) REQUIRE r.id IS UNIQUE;
CREATE CONSTRAINT watch_owner_name IF NOT EXISTS FOR (w:Watch) REQUIRE (w.watch_owner, w.watch_name) IS UNIQUE;
CREATE CONSTRAINT alert_id IF NOT EXISTS FOR (a:Alert) REQUIRE a.watch_id IS UNIQUE;

CREATE INDEX incident_occurred_at IF NOT EXISTS FOR (i:Incident) ON (i.occurred_at);
CREATE INDEX incident_category IF NOT EXISTS FOR (i:Incident) ON (i.category);
CREATE INDEX location_lsoa IF NOT EXISTS FOR (l:Location) ON (l.lsoa);
CREATE INDEX alert_owner IF NOT EXISTS FOR (a:Alert) ON (a.watch_owner);
CREATE POINT INDEX location_point IF NOT EXISTS FOR (l:Location) ON (l.point);
