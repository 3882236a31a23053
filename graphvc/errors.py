"""The one exception root of graphvc and its documented subclasses.

Every error a user can cause or meet derives from :class:`GraphvcError`; the CLI and the
app print its message as one line, without a traceback. Messages name what failed and show
the offending value.
"""

__all__ = [
    "AccessError",
    "AnalysisError",
    "BulkLoadError",
    "ConfigError",
    "DatabaseError",
    "DecisionError",
    "DemoError",
    "GraphvcError",
    "InputError",
    "QueryError",
    "ReportError",
    "ResolveError",
    "RunError",
    "ServerError",
]


class GraphvcError(Exception):
    """Root of every error graphvc raises on purpose."""


class AccessError(GraphvcError):
    """The user's roles do not allow what they asked for (in the app, a write only an
    analyst may make)."""


class ConfigError(GraphvcError):
    """A setting (environment variable or option) has a bad value."""


class ServerError(GraphvcError):
    """The managed local Neo4j server could not be installed, started or stopped."""


class DatabaseError(GraphvcError):
    """Neo4j could not be reached, or refused or failed a query."""


class DemoError(GraphvcError):
    """The demo cannot load its graph: the database holds data that is not the demo's,
    which the demo would merge into."""


class QueryError(GraphvcError):
    """A Cypher query file or its parameters are invalid, or the query is not allowed."""


class InputError(GraphvcError):
    """An input file cannot be read at all (missing, wrong header, wrong encoding)."""


class AnalysisError(GraphvcError):
    """A network analysis cannot run on its input: an unknown person, a missing column,
    an option out of range, or an edge weight that is not a positive number."""


class BulkLoadError(GraphvcError):
    """A bulk first load cannot run: the database already holds nodes, or the server is not
    the managed local one (``NEO4J_URI`` is set)."""


class ReportError(GraphvcError):
    """A report cannot be written: its folder is unusable or another report is in the way."""


class ResolveError(GraphvcError):
    """Entity resolution cannot run: the people have no identifying fields to compare."""


class RunError(GraphvcError):
    """A stored analysis run cannot be written or read: its folder or a table is missing or
    unusable."""


class DecisionError(GraphvcError):
    """An analyst's decision on two person records cannot be recorded or undone: a record is
    missing, the two are one record, a rejection has no reason, the confirmation contradicts
    a rejection, or there is no decision to undo."""
