"""The graph model: the allow-lists of labels and relationship types.

Labels and relationship types reach Cypher only from these tuples (and then in backticks);
every value travels as a ``$parameter``. ``cypher/schema.cypher`` holds the matching
constraints and indexes, and docs/methods/graph-model.md draws the model. The tables that load into it, and
their value lists, are declared in :mod:`graphvc.contract`.
"""

from __future__ import annotations

from graphvc.contract import ROLES

__all__ = [
    "NODE_LABELS",
    "RELATIONSHIP_ROLES",
    "RELATIONSHIP_TYPES",
    "ROLE_RELATIONSHIPS",
    "WATCH_LABELS",
    "WATCH_PROPERTY_PREFIX",
    "WATCH_RELATIONSHIP_TYPES",
    "quote_label",
]

NODE_LABELS: tuple[str, ...] = ("Person", "Incident", "Location", "Ward", "Borough", "AnalysisRun")

#: A person's role in an incident -> the relationship type that records it.
ROLE_RELATIONSHIPS: dict[str, str] = {role: f"{role.upper()}_IN" for role in ROLES}
#: A role relationship type -> the role it records (``OFFENDER_IN`` -> ``offender``).
RELATIONSHIP_ROLES: dict[str, str] = {rel: role for role, rel in ROLE_RELATIONSHIPS.items()}

RELATIONSHIP_TYPES: tuple[str, ...] = (
    *ROLE_RELATIONSHIPS.values(),
    "OCCURRED_AT",
    "IN_WARD",
    "IN_BOROUGH",
    "ASSOCIATE_OF",
    "ASSESSED",
)


#: The watches' own labels and relationship (graphvc.watches): an analyst's saved queries and
#: their alerts, not part of the crime graph, so apart from NODE_LABELS and RELATIONSHIP_TYPES:
#: counts, exports, analyses and the styling never see them, and the query library's name
#: guard refuses a query that touches them (a watch's owner and parameters are nobody's
#: business but the Alerts page's).
WATCH_LABELS: tuple[str, ...] = ("Watch", "Alert")
WATCH_RELATIONSHIP_TYPES: tuple[str, ...] = ("RAISED",)
#: Every property of a Watch or Alert starts so, and no property of the crime graph does: the
#: name guard refuses a read of any such key, however a query reaches the node (a scan of
#: every node, a seek by id), as it refuses the watches' labels.
WATCH_PROPERTY_PREFIX = "watch_"


def quote_label(name: str) -> str:
    """Backtick a label or relationship type after checking it against the allow-lists.

    >>> quote_label("Person")
    '`Person`'
    >>> quote_label("Person` DETACH DELETE n //")
    Traceback (most recent call last):
    ...
    graphvc.errors.QueryError: 'Person` DETACH DELETE n //' is not a label or relationship type of the graph model
    """
    from graphvc.errors import QueryError

    known = (*NODE_LABELS, *RELATIONSHIP_TYPES, *WATCH_LABELS, *WATCH_RELATIONSHIP_TYPES)
    if name not in known:
        raise QueryError(f"{name!r} is not a label or relationship type of the graph model")
    return f"`{name}`"
