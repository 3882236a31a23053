"""The graph model: the allow-lists of labels, relationship types, roles and categories.

Labels and relationship types reach Cypher only from these tuples (and then in backticks);
every value travels as a ``$parameter``. ``cypher/schema.cypher`` holds the matching
constraints and indexes, and the README draws the model.
"""

from __future__ import annotations

__all__ = [
    "ASSOCIATION_TYPES",
    "CATEGORIES",
    "LOCAL_TIME_ZONE",
    "NODE_LABELS",
    "OUTCOMES",
    "RELATIONSHIP_TYPES",
    "ROLE_RELATIONSHIPS",
    "quote_label",
]

#: Local times without a UTC offset (in input files, parameters, analysis) are London's.
LOCAL_TIME_ZONE = "Europe/London"

NODE_LABELS: tuple[str, ...] = ("Person", "Incident", "Location", "Ward", "Borough")

#: A person's role in an incident -> the relationship type that records it.
ROLE_RELATIONSHIPS: dict[str, str] = {
    "offender": "OFFENDER_IN",
    "suspect": "SUSPECT_IN",
    "victim": "VICTIM_IN",
    "witness": "WITNESS_IN",
}

RELATIONSHIP_TYPES: tuple[str, ...] = (
    *ROLE_RELATIONSHIPS.values(),
    "OCCURRED_AT",
    "IN_WARD",
    "IN_BOROUGH",
    "ASSOCIATE_OF",
)

#: The continuum of violence, from the most to the least severe weapon-enabled harm first.
CATEGORIES: tuple[str, ...] = (
    "gun_enabled",
    "knife_enabled",
    "personal_robbery",
    "alcohol_related",
    "domestic_abuse",
    "hate_crime",
    "rape_sexual",
    "other_violence",
)

#: Kinds of intelligence link between two people (``ASSOCIATE_OF.type``).
ASSOCIATION_TYPES: tuple[str, ...] = ("family", "partner", "gang", "associate", "other")

#: Outcomes; the first three are sanction detections (offences brought to justice).
OUTCOMES: tuple[str, ...] = (
    "charged",
    "cautioned",
    "community_resolution",
    "no_further_action",
    "under_investigation",
    "no_suspect",
    "unknown",
)


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

    if name not in NODE_LABELS and name not in RELATIONSHIP_TYPES:
        raise QueryError(f"{name!r} is not a label or relationship type of the graph model")
    return f"`{name}`"
