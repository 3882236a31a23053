// title: Boroughs
// description: Every borough's code and name, for the app's filters.
// mode: read
// params: none
MATCH (b:Borough)
RETURN b.code AS code, b.name AS name
ORDER BY name
