"""The input contract, declared once: the tables graphvc reads, their columns and value lists.

Everything that handles the tables derives from this module: the loaders' reader, validator
and writer, the synthetic generator, the readers of the graph (:mod:`graphvc.graph_tables`),
the analysis and the reports. ``docs/input-contract.md`` describes it for people.

A table has required and optional columns, a key (the columns that identify a row, which also
give the tables a canonical row order) and, for people, identifying columns that never leave
the database (:data:`IDENTIFYING`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

__all__ = [
    "AGE_BANDS",
    "ASSOCIATION_TYPES",
    "CATEGORIES",
    "ETHNICITY_CODES",
    "IDENTIFYING",
    "LOCAL_TIME_ZONE",
    "MAX_TEXT_LENGTH",
    "OUTCOMES",
    "PERPETRATOR_ROLES",
    "RISK_LEVELS",
    "ROLES",
    "SANCTION_DETECTIONS",
    "SEXES",
    "TABLES",
    "TableSpec",
    "empty_table",
    "read_columns",
]

#: Local times without a UTC offset (in input files, parameters, analysis) are London's.
LOCAL_TIME_ZONE = "Europe/London"

#: The longest value a cell may hold, in characters. Neo4j cannot index a value longer than
#: about 8 KB (4,036 bytes for a string in a range index key, 4 bytes a character at worst);
#: a longer id or code would stop a load part-way, so such cells are quarantined.
MAX_TEXT_LENGTH = 1000

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
SANCTION_DETECTIONS: tuple[str, ...] = OUTCOMES[:3]

#: A person's role in an incident (``involvements.role``).
ROLES: tuple[str, ...] = ("offender", "suspect", "victim", "witness")

#: The roles that make a person a perpetrator of an incident. Suspects count: police
#: intelligence rarely waits for a conviction, and the measures say so in their columns.
PERPETRATOR_ROLES: tuple[str, ...] = ("offender", "suspect")

#: The levels of a risk assessment (``risk_assessments.level``), as DASH grades them: a
#: ``high`` assessment is a MARAC referral on its own (SafeLives).
RISK_LEVELS: tuple[str, ...] = ("standard", "medium", "high")

#: Kinds of intelligence link between two people (``associations.type``).
ASSOCIATION_TYPES: tuple[str, ...] = ("family", "partner", "gang", "associate", "other")

AGE_BANDS: tuple[str, ...] = ("0-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+", "unknown")
SEXES: tuple[str, ...] = ("F", "M", "X", "unknown")
#: The self-defined ethnicity (18+1) codes; NS = not stated.
ETHNICITY_CODES: tuple[str, ...] = (
    "W1", "W2", "W3", "W9", "M1", "M2", "M3", "M9", "A1", "A2", "A3", "A4", "A9",
    "B1", "B2", "B9", "O2", "O9", "NS",
)  # fmt: skip


@dataclass(frozen=True)
class TableSpec:
    """One table of the input contract.

    ``key`` identifies a row and orders a table canonically; ``identifying`` columns name a
    person and are never read back out of the graph.
    """

    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    key: tuple[str, ...] = ()
    identifying: tuple[str, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


#: The tables in the order they are validated and written (nodes before relationships).
TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        TableSpec(
            "persons",
            ("person_id",),
            ("name", "age_band", "sex", "ethnicity"),
            key=("person_id",),
            identifying=("name",),
        ),
        TableSpec(
            "locations",
            ("location_id",),
            (
                "name",
                "lsoa_code",
                "ward_code",
                "ward_name",
                "borough_code",
                "borough_name",
                "latitude",
                "longitude",
            ),
            key=("location_id",),
        ),
        TableSpec(
            "incidents",
            ("incident_id", "occurred_at", "offence"),
            ("category", "weapon", "alcohol", "domestic", "hate", "harm", "outcome", "location_id"),
            key=("incident_id",),
        ),
        TableSpec(
            "involvements",
            ("person_id", "incident_id", "role"),
            key=("person_id", "incident_id", "role"),
        ),
        TableSpec(
            "risk_assessments",
            ("person_id", "incident_id", "assessed_at", "tool", "level"),
            key=("person_id", "incident_id", "assessed_at", "tool"),
        ),
        TableSpec(
            "associations",
            ("person_a", "person_b"),
            ("type", "weight", "source"),
            key=("person_a", "person_b", "type"),
        ),
    )
}

#: Columns that identify a person: they stay in the database.
IDENTIFYING: frozenset[tuple[str, str]] = frozenset(
    (spec.name, column) for spec in TABLES.values() for column in spec.identifying
)


def read_columns(table: str) -> list[str]:
    """The columns of ``table`` as read back out of the graph: all but the identifying ones.

    >>> read_columns("persons")
    ['person_id', 'age_band', 'sex', 'ethnicity']
    """
    spec = TABLES[table]
    return [column for column in spec.columns if column not in spec.identifying]


def empty_table(table: str) -> pd.DataFrame:
    """An empty frame with the columns of ``table`` as read from the graph."""
    return pd.DataFrame(columns=read_columns(table))
