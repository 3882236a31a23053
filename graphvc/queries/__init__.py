"""Stored Cypher queries: the specialist teams' library, and a runner that only reads.

The modules, by concern:

- :mod:`~graphvc.queries.library`: the query files and their headers, parsed, listed, loaded;
- :mod:`~graphvc.queries.parameters`: the parameters a header declares, checked and converted;
- :mod:`~graphvc.queries.name_guard`: the rule that refuses, before anything runs, every query
  that could read a person's name in any way;
- :mod:`~graphvc.queries.runner`: the run itself, refused when the query's plan (``EXPLAIN``)
  writes or administers the server, in a read transaction with a timeout;
- :mod:`~graphvc.queries.cypher_text`: Cypher with its comments and string literals taken out,
  which the header check and the name guard both read.
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
from graphvc.queries.name_guard import PLACE_LABELS, identifying_reads
from graphvc.queries.parameters import PARAMETER_TYPES, Parameter, check_parameters
from graphvc.queries.runner import READ_ONLY_PROCEDURES, check_library, run_stored_query

__all__ = [
    "PARAMETER_TYPES",
    "PLACE_LABELS",
    "READ_ONLY_PROCEDURES",
    "TEAMS",
    "Column",
    "Parameter",
    "StoredQuery",
    "check_library",
    "check_parameters",
    "identifying_reads",
    "library_dir",
    "list_queries",
    "load_query",
    "parse_query",
    "run_stored_query",
]
