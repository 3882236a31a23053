"""The input contract, declared once: the tables graphvc reads, their columns and value lists.

Each column is a typed declaration (:class:`Column`): its type, whether it is required, its
default, its value list, the graph property it becomes, and how a person sees it (a label, a
unit and a display format). Everything that handles the tables derives from these: the
loaders' reader, validator (the pandera schema of :mod:`loaders.validate`) and writer (the
property lists of :mod:`loaders.write`), the readers of the graph (:mod:`graphvc.graph_tables`),
the analysis, the reports and ``docs/input-contract.md`` (:mod:`graphvc.contract_docs`,
``graphvc contract docs``).

A table (:class:`TableSpec`) has a key (the columns that identify a row, which also give the
tables a canonical row order) and, for people, identifying columns that never leave the
database (:data:`IDENTIFYING`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

__all__ = [
    "AGE_BANDS",
    "ASSOCIATION_TYPES",
    "CATEGORIES",
    "DEMOGRAPHICS",
    "EARLIEST_DATE",
    "EARTH_RADIUS_M",
    "ETHNICITY_CODES",
    "FORMATS",
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
    "TYPES",
    "UK_BOUNDS",
    "Column",
    "TableSpec",
    "column",
    "empty_table",
    "read_columns",
]

#: Local times without a UTC offset (in input files, parameters, analysis) are London's.
LOCAL_TIME_ZONE = "Europe/London"

#: The earliest date a date-time column accepts (London time): an earlier one is a typing
#: mistake (1024 for 2024) or a placeholder (0001-01-01), never a record of violent crime. It
#: also keeps every moment in the era of GMT: before 1847, London's time was its local mean
#: time, whose offset of -00:01:15 Neo4j cannot parse.
EARLIEST_DATE = "1900-01-01"

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
# By family (White, Mixed, Asian, Black, Other) on two lines: one code a line would take 19.
ETHNICITY_CODES: tuple[str, ...] = (
    "W1", "W2", "W3", "W9", "M1", "M2", "M3", "M9", "A1", "A2", "A3", "A4", "A9",
    "B1", "B2", "B9", "O2", "O9", "NS",
)  # fmt: skip

#: (min latitude, max latitude, min longitude, max longitude) of the United Kingdom, WGS84:
#: a coordinate outside them is a typing mistake (or a swapped pair).
UK_BOUNDS: tuple[float, float, float, float] = (49.8, 60.9, -8.7, 1.8)

#: The Earth's mean radius (IUGG), in metres: coordinates become distances on this sphere,
#: close enough at a city's scale (under 0.5 % from the ellipsoid).
EARTH_RADIUS_M = 6_371_008.8


#: The types a column may have: free ``text``; a ``category`` (one of its ``allowed``
#: values); an ``offence`` code of the harm table (:mod:`graphvc.harm_index`); an ISO 8601
#: ``datetime``; an ISO 8601 calendar ``date`` (a date of birth: kept as its ``YYYY-MM-DD``
#: text, a day with no time or zone); a ``number``; a ``boolean``.
TYPES: tuple[str, ...] = (
    "text", "category", "offence", "datetime", "date", "number", "boolean",
)  # fmt: skip

#: How a column's values are shown: as ``text``, an ``integer``, a ``decimal`` (with the
#: column's ``decimals`` places), a ``datetime`` (to the minute) or a ``boolean`` (yes / no);
#: for results also a ``score`` (three significant figures), ``days`` (whole days), a
#: ``date`` (YYYY-MM-DD) or a ``percent`` (a share in [0, 1] shown as 12.5).
FORMATS: tuple[str, ...] = (
    "text", "integer", "decimal", "datetime", "boolean", "score", "days", "date", "percent",
)  # fmt: skip

#: The display format of each type, unless a column says otherwise.
_TYPE_FORMATS = {
    "number": "decimal", "datetime": "datetime", "date": "date", "boolean": "boolean",
}  # fmt: skip
#: The graph (and bulk importer) type of each column type; the rest are strings.
_GRAPH_TYPES = {"number": "double", "datetime": "datetime", "boolean": "boolean"}


def significant(value: float, figures: int = 3) -> str:
    """``value`` to ``figures`` significant figures, never in exponent notation; from 100 up
    a whole number with thousands separators (1,234.5 -> ``"1,230"``).

    >>> significant(0.026490359549825634), significant(0.1284), significant(1234.5)
    ('0.0265', '0.128', '1,230')
    >>> significant(0.0), significant(-2.0), significant(94.0556)
    ('0', '-2.00', '94.1')
    """
    if value == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(value)))
    rounded = round(value, figures - 1 - magnitude)
    if abs(rounded) >= 10 ** (figures - 1):
        return f"{rounded:,.0f}"
    # Rounding may carry into the next power (9.996 -> 10.0): count its figures again.
    places = max(figures - 1 - math.floor(math.log10(abs(rounded))), 0)
    return f"{rounded:,.{places}f}"


#: How each numeric format shows a finite number, given the column's decimals.
_NUMBER_FORMATS: dict[str, Callable[[float, int], str]] = {
    "integer": lambda value, _: f"{round(value):,}",
    "days": lambda value, _: f"{round(value):,}",
    "decimal": lambda value, decimals: f"{value:,.{decimals}f}",
    "score": lambda value, _: significant(value),
    "percent": lambda value, _: f"{100 * value:,.1f}",
}


@dataclass(frozen=True)
class Column:
    """One column of an input table, declared once.

    Parameters
    ----------
    name : str
        The column's header in the input files.
    type : str
        One of :data:`TYPES`.
    required : bool
        A missing value rejects the row.
    default : str, float or bool, optional
        What a missing value becomes (booleans: ``False``).
    allowed : tuple of str
        The values a ``category`` may take, in report order.
    graph_property : str, optional
        The property the column becomes on the node or relationship its row is written as
        (or on ``graph_node``); None: not a property (a reference, or the role that names a
        relationship type).
    label : str
        The column's name for people ("Age band"), in every table the app, the reports and
        the CLI show.
    unit : str
        The unit of its values, where they have one ("days", "degrees").
    identifying : bool
        Names a person: kept in the graph, never read back out (:data:`IDENTIFYING`).
    format : str
        How its values are shown, one of :data:`FORMATS` (default: by its type).
    decimals : int
        The decimal places a ``decimal`` is shown with.
    description : str
        What the column means, for ``docs/input-contract.md``.
    value_noun : str
        What one value is called in a rejection ("not a valid *age band*"); default: the
        label in lower case.
    references : str, optional
        The table whose key the column names (``persons``, ``incidents``, ``locations``): an id
        found neither in the folder nor in the graph rejects the row...
    creates_missing : bool
        ...unless this is set: an unknown id then becomes a bare node.
    graph_node : str, optional
        The label of another node the row names, which ``graph_property`` is set on (a
        location's ``Ward`` and ``Borough``); the first column naming a node is its key.
    minimum, maximum, greater_than : float, optional
        The range of a ``number``.
    earliest : str
        The earliest date a ``datetime`` or ``date`` may hold (default :data:`EARLIEST_DATE`); none may
        lie after tomorrow.
    default_from : str
        The column of the harm table whose value for the row's offence fills a missing value.
    demographic : bool
        A person's demographic attribute, monitored for proportionality (:data:`DEMOGRAPHICS`).

    Examples
    --------
    >>> harm = column("incidents", "harm")
    >>> harm.label, harm.unit, harm.format, harm.display(12.25)
    ('Harm', 'days', 'decimal', '12.2')
    >>> column("persons", "age_band").allowed[-1]
    'unknown'
    >>> column("risk_assessments", "assessed_at").earliest
    '1900-01-01'
    """

    name: str
    type: str = "text"
    required: bool = False
    default: str | float | bool | None = None
    allowed: tuple[str, ...] = ()
    graph_property: str | None = None
    label: str = ""
    unit: str = ""
    identifying: bool = False
    format: str = ""
    decimals: int = 0
    description: str = ""
    value_noun: str = ""
    references: str | None = None
    creates_missing: bool = False
    graph_node: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    greater_than: float | None = None
    earliest: str = ""
    default_from: str = ""
    demographic: bool = False

    def __post_init__(self) -> None:
        if self.type not in TYPES:
            raise ValueError(f"column {self.name}: type {self.type!r} is not one of {TYPES}")
        if bool(self.allowed) != (self.type == "category"):
            raise ValueError(
                f"column {self.name}: a category, and only a category, has allowed values"
            )
        if not self.label:
            raise ValueError(f"column {self.name}: no label")
        # A frozen dataclass sets its own fields through object.__setattr__.
        if not self.format:
            object.__setattr__(self, "format", _TYPE_FORMATS.get(self.type, "text"))
        if self.format not in FORMATS:
            raise ValueError(f"column {self.name}: format {self.format!r} is not one of {FORMATS}")
        if not self.value_noun:
            object.__setattr__(self, "value_noun", self.label.lower())
        if self.type in ("datetime", "date") and not self.earliest:
            object.__setattr__(self, "earliest", EARLIEST_DATE)
        if self.earliest and self.type not in ("datetime", "date"):
            raise ValueError(f"column {self.name}: only a date or datetime has an earliest date")

    @property
    def graph_type(self) -> str:
        """The column's type in the graph, as Neo4j's importer names it (``string``,
        ``double``, ``boolean``, ``datetime``)."""
        return _GRAPH_TYPES.get(self.type, "string")

    @property
    def heading(self) -> str:
        """The label with its unit: ``"Harm (days)"``."""
        return f"{self.label} ({self.unit})" if self.unit else self.label

    def display(self, value: Any) -> str:
        """``value`` as the column's format shows it; a missing value as ``""``.

        >>> column("incidents", "occurred_at").display(pd.Timestamp("2024-03-01 22:15:31"))
        '2024-03-01 22:15'
        >>> column("incidents", "weapon").display(True), column("persons", "sex").display(None)
        ('yes', '')
        """
        if value is None or (not isinstance(value, (str, bool)) and pd.isna(value)):
            return ""
        if self.format in _NUMBER_FORMATS:
            number = float(value)
            if math.isinf(number):  # no path, no limit: infinitely far, not missing
                return "∞" if number > 0 else "-∞"
            return _NUMBER_FORMATS[self.format](number, self.decimals)
        if self.format == "datetime":
            return pd.Timestamp(value).strftime("%Y-%m-%d %H:%M")
        if self.format == "date":
            return pd.Timestamp(value).strftime("%Y-%m-%d")
        if self.format == "boolean":
            return "yes" if value else "no"
        return str(value)


@dataclass(frozen=True)
class TableSpec:
    """One table of the input contract: its columns (:class:`Column`) in their order.

    ``key`` identifies a row and orders a table canonically; a key of one column is unique.
    ``node`` is the label of the node each row becomes (None: a table of relationships).
    ``description`` says what the table holds, for ``docs/input-contract.md``.
    """

    name: str
    declared: tuple[Column, ...]
    key: tuple[str, ...]
    node: str | None = None
    label: str = ""
    description: str = ""

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column's name, in the contract's order."""
        return tuple(c.name for c in self.declared)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.declared if c.required)

    @property
    def optional(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.declared if not c.required)

    @property
    def identifying(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.declared if c.identifying)

    def column(self, name: str) -> Column:
        """The declaration of column ``name``; KeyError when the table has none."""
        for declared in self.declared:
            if declared.name == name:
                return declared
        raise KeyError(f"{self.name} has no column {name!r}")


def _id(name: str, label: str, description: str, **more: Any) -> Column:
    return Column(name, required=True, label=label, description=description, **more)


_REFERENCE = "must name {what} (in the same folder or already in the graph)"

#: The tables in the order they are validated and written (nodes before relationships).
#: Not formatted by ruff: a declaration a line or two reads as a table, where one argument a
#: line would spread the contract over twice the lines.
TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        TableSpec(
            "persons",
            (
                _id("person_id", "Person", "stable id of the person in the source system",
                    graph_property="id"),
                Column("name", graph_property="name", label="Name", identifying=True,
                       description="kept in Neo4j only; never exported by graphvc"),
                Column("date_of_birth", "date", graph_property="date_of_birth",
                       label="Date of birth", identifying=True,
                       description="e.g. `1990-04-17`; kept in Neo4j only, for `graphvc"
                                   " resolve`; never exported by graphvc"),
                Column("postcode", graph_property="postcode", label="Postcode",
                       identifying=True,
                       description="full postcode (`SE15 4QF`) or its outward code (`SE15`);"
                                   " kept in Neo4j only, for `graphvc resolve`; never exported"),
                Column("pnc_id", graph_property="pnc_id", label="PNC id", identifying=True,
                       value_noun="PNC id",
                       description="Police National Computer id or another source-system id"
                                   " of the person; kept in Neo4j only, for `graphvc resolve`;"
                                   " never exported"),
                Column("age_band", "category", default="unknown", allowed=AGE_BANDS,
                       graph_property="age_band", label="Age band", unit="years",
                       demographic=True, description="for proportionality monitoring"),
                Column("sex", "category", default="unknown", allowed=SEXES,
                       graph_property="sex", label="Sex", demographic=True,
                       description="for proportionality monitoring"),
                Column("ethnicity", "category", default="NS", allowed=ETHNICITY_CODES,
                       graph_property="ethnicity", label="Ethnicity",
                       value_noun="ethnicity code", demographic=True,
                       description="the self-defined 18+1 code; `NS` = not stated"),
            ),
            key=("person_id",),
            node="Person",
            label="Persons",
            description="One row per person: a `Person` node.",
        ),
        TableSpec(
            "locations",
            (
                _id("location_id", "Location", "stable id of the place", graph_property="id"),
                Column("name", graph_property="name", label="Place",
                       description="e.g. a street or venue"),
                Column("lsoa_code", graph_property="lsoa", label="LSOA",
                       description="Lower layer Super Output Area (2011), e.g. `E01000001`"),
                Column("ward_code", graph_property="code", graph_node="Ward", label="Ward code",
                       description="ward (2019)"),
                Column("ward_name", graph_property="name", graph_node="Ward", label="Ward",
                       description="the ward's name"),
                Column("borough_code", graph_property="code", graph_node="Borough",
                       label="Borough code", description="local authority district"),
                Column("borough_name", graph_property="name", graph_node="Borough",
                       label="Borough", description="the borough's name"),
                Column("latitude", "number", graph_property="latitude", label="Latitude",
                       unit="degrees", decimals=5, minimum=UK_BOUNDS[0], maximum=UK_BOUNDS[1],
                       description="WGS84, inside the UK; given with longitude or not at all"),
                Column("longitude", "number", graph_property="longitude", label="Longitude",
                       unit="degrees", decimals=5, minimum=UK_BOUNDS[2], maximum=UK_BOUNDS[3],
                       description="WGS84, inside the UK; given with latitude or not at all"),
            ),
            key=("location_id",),
            node="Location",
            label="Locations",
            description=(
                "One row per place: a `Location` node (with a WGS84 `point` where its latitude"
                " and longitude are given), in its `Ward`, in its `Borough`."
            ),
        ),
        TableSpec(
            "incidents",
            (
                _id("incident_id", "Incident", "crime reference", graph_property="id"),
                Column("occurred_at", "datetime", required=True, graph_property="occurred_at",
                       label="Occurred at",
                       description="when it happened, e.g. `2024-03-01T22:15:00` or a date"
                                   " (local time unless it has a UTC offset)"),
                Column("offence", "offence", required=True, graph_property="offence",
                       label="Offence", value_noun="offence code",
                       description="code from the harm table (`graphvc/data/harm_index.csv`)"),
                Column("category", "category", allowed=CATEGORIES, default_from="category",
                       graph_property="category", label="Category",
                       description="place on the continuum of violence"),
                Column("weapon", "boolean", default=False, graph_property="weapon",
                       label="Weapon", description="a weapon was used or shown"),
                Column("alcohol", "boolean", default=False, graph_property="alcohol",
                       label="Alcohol", description="alcohol was a factor"),
                Column("domestic", "boolean", default=False, graph_property="domestic",
                       label="Domestic", description="domestic abuse"),
                Column("hate", "boolean", default=False, graph_property="hate",
                       label="Hate crime", description="a hate crime"),
                Column("harm", "number", minimum=0.0, default_from="harm_days",
                       graph_property="harm", label="Harm", unit="days", decimals=1,
                       description="crime harm weight, in sentencing starting-point days"),
                Column("outcome", "category", default="unknown", allowed=OUTCOMES,
                       graph_property="outcome", label="Outcome",
                       description="the first three are sanction detections"),
                Column("location_id", references="locations", label="Location",
                       description=_REFERENCE.format(what="a row of `locations`")),
            ),
            key=("incident_id",),
            node="Incident",
            label="Incidents",
            description=(
                "One row per incident: an `Incident` node, which `OCCURRED_AT` its location."
            ),
        ),
        TableSpec(
            "involvements",
            (
                _id("person_id", "Person", _REFERENCE.format(what="a person"),
                    references="persons"),
                _id("incident_id", "Incident", _REFERENCE.format(what="an incident"),
                    references="incidents"),
                Column("role", "category", required=True, allowed=ROLES, label="Role",
                       description="becomes the relationship type `OFFENDER_IN`, `SUSPECT_IN`,"
                                   " `VICTIM_IN`, `WITNESS_IN`"),
            ),
            key=("person_id", "incident_id", "role"),
            label="Involvements",
            description=(
                "Who took part in an incident, and how: `(:Person)-[:VICTIM_IN]->(:Incident)`"
                " and so on. A (person, incident, role) triple is unique."
            ),
        ),
        TableSpec(
            "risk_assessments",
            (
                _id("person_id", "Person", "the person assessed; "
                    + _REFERENCE.format(what="a person"), references="persons"),
                _id("incident_id", "Incident", "the incident that led to the assessment; "
                    + _REFERENCE.format(what="an incident"), references="incidents"),
                Column("assessed_at", "datetime", required=True, graph_property="assessed_at",
                       label="Assessed at",
                       description="when the assessment was made (local time unless it has a"
                                   " UTC offset)"),
                Column("tool", required=True, graph_property="tool", label="Tool",
                       description="the tool used, e.g. `DASH`"),
                Column("level", "category", required=True, allowed=RISK_LEVELS,
                       graph_property="level", label="Risk level",
                       description="the risk it found"),
            ),
            key=("person_id", "incident_id", "assessed_at", "tool"),
            label="Risk assessments",
            description=(
                "Optional: a force that records risk assessments (DASH for domestic abuse)"
                " loads them here. Each row becomes"
                " `(:Person)-[:ASSESSED {tool, level, assessed_at}]->(:Incident)`; a (person,"
                " incident, assessed_at, tool) is unique. A high assessment makes its person a"
                " MARAC candidate in the tasking pack whatever their number of incidents."
            ),
        ),
        TableSpec(
            "associations",
            (
                _id("person_a", "Person A", "one of the two people (different people);"
                    " an unknown id creates a bare `Person` node", references="persons",
                    creates_missing=True),
                _id("person_b", "Person B", "the other person; likewise", references="persons",
                    creates_missing=True),
                Column("type", "category", default="associate", allowed=ASSOCIATION_TYPES,
                       graph_property="type", label="Association",
                       value_noun="association type", description="kind of link"),
                Column("weight", "number", greater_than=0.0, default=1.0,
                       graph_property="weight", label="Weight", decimals=2,
                       description="strength of the link"),
                Column("source", graph_property="source", label="Source",
                       description="where the intelligence came from"),
            ),
            key=("person_a", "person_b", "type"),
            label="Associations",
            description=(
                "Intelligence links between people:"
                " `(:Person)-[:ASSOCIATE_OF {type, weight, source}]->(:Person)`. An association"
                " is undirected in meaning; it is stored once, from the smaller id to the"
                " larger, so (a, b, type) and (b, a, type) are the same link."
            ),
        ),
    )
}  # fmt: skip

#: Columns that identify a person: they stay in the database.
IDENTIFYING: frozenset[tuple[str, str]] = frozenset(
    (spec.name, column) for spec in TABLES.values() for column in spec.identifying
)

#: The persons' demographic columns, monitored for proportionality, in the contract's order.
DEMOGRAPHICS: tuple[str, ...] = tuple(c.name for c in TABLES["persons"].declared if c.demographic)


def column(table: str, name: str) -> Column:
    """The declaration of column ``name`` of ``table``: its type, label, unit and format.

    >>> column("persons", "age_band").heading
    'Age band (years)'
    >>> DEMOGRAPHICS
    ('age_band', 'sex', 'ethnicity')
    """
    return TABLES[table].column(name)


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
