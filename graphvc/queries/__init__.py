"""Stored Cypher queries: the specialist teams' library, and a runner that only reads.

The modules, by concern:

- :mod:`~graphvc.queries.library`: the query files and their headers, parsed, listed, loaded;
- :mod:`~graphvc.queries.parameters`: the parameters a header declares, checked and converted;
- :mod:`~graphvc.queries.name_guard`: the rule that refuses, before anything runs, every query
  that could read a person's name in any way, on its text and on its plan;
- :mod:`~graphvc.queries.plan`: the plan Neo4j makes of a query (``EXPLAIN``), read as
  operators with their details and the variables they bind;
- :mod:`~graphvc.queries.runner`: the run itself, refused when the query's plan writes,
  administers the server or could read a name, limited, in a read transaction with a timeout;
- :mod:`~graphvc.queries.people`: the persons a run names, in its values and its rows, for the
  audit trail;
- :mod:`~graphvc.queries.cypher_text`: Cypher with its comments and string literals taken out,
  which the header check and the text's name guard both read.
"""

from graphvc.queries.library import (
    TEAMS,
    Column,
    StoredQuery,
    library_dir,
    list_queries,
    load_query,
    parse_query,
)
from graphvc.queries.name_guard import PLACE_LABELS, identifying_reads, plan_reads
from graphvc.queries.parameters import PARAMETER_TYPES, Parameter, check_parameters
from graphvc.queries.people import persons_among, persons_in_rows
from graphvc.queries.plan import Operator, Plan, explain_plan
from graphvc.queries.runner import (
    DEFAULT_LIMIT,
    READ_ONLY_PROCEDURES,
    check_library,
    run_stored_query,
)

__all__ = [
    "DEFAULT_LIMIT",
    "PARAMETER_TYPES",
    "PLACE_LABELS",
    "READ_ONLY_PROCEDURES",
    "TEAMS",
    "Column",
    "Operator",
    "Parameter",
    "Plan",
    "StoredQuery",
    "check_library",
    "check_parameters",
    "explain_plan",
    "identifying_reads",
    "library_dir",
    "list_queries",
    "load_query",
    "parse_query",
    "persons_among",
    "persons_in_rows",
    "plan_reads",
    "run_stored_query",
]
