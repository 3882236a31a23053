// title: What the graph holds beyond a dataset
// description: How many people, incidents, places, wards and boroughs the graph holds whose
//   ids are not among a dataset's (each list distinct): loading the dataset would merge into
//   them. Counts what is held, then finds each of the dataset's ids by its unique index.
// mode: read
// params: persons, incidents, locations, wards, boroughs: list of string
CALL { MATCH (n:Person) RETURN count(n) AS persons_held }
CALL { UNWIND $persons AS id MATCH (n:Person {id: id}) RETURN count(n) AS persons_found }
CALL { MATCH (n:Incident) RETURN count(n) AS incidents_held }
CALL { UNWIND $incidents AS id MATCH (n:Incident {id: id}) RETURN count(n) AS incidents_found }
CALL { MATCH (n:Location) RETURN count(n) AS locations_held }
CALL { UNWIND $locations AS id MATCH (n:Location {id: id}) RETURN count(n) AS locations_found }
CALL { MATCH (n:Ward) RETURN count(n) AS wards_held }
CALL { UNWIND $wards AS code MATCH (n:Ward {code: code}) RETURN count(n) AS wards_found }
CALL { MATCH (n:Borough) RETURN count(n) AS boroughs_held }
CALL { UNWIND $boroughs AS code MATCH (n:Borough {code: code}) RETURN count(n) AS boroughs_found }
RETURN
  boroughs_held - boroughs_found AS boroughs,
  wards_held - wards_found AS wards,
  locations_held - locations_found AS locations,
  persons_held - persons_found AS persons,
  incidents_held - incidents_found AS incidents
