"""The stored-query library: query files with a header, parsed, listed and loaded.

A stored query is one ``.cypher`` file that opens with a header of ``//`` comment lines, one
item a line (an indented ``//`` line continues the item above it)::

    // title: Co-offenders of a person
    // description: People who offended with $person_id in the same incidents, up to $hops hops.
    // team: gangs and firearms
    // param person_id: string, required, example "P1" -- the person
    // param hops: integer, default 2, example 2, min 1, max 3 -- hops through shared incidents
    // column co_offender_id: the co-offender's person id
    // mode: read

Parameters are declared as :mod:`graphvc.queries.parameters` says. The parameters declared
must be exactly the ``$parameters`` the query uses, but for ``limit``, which the runner applies
to the result whether or not the query uses it. The library is every ``.cypher`` file at
the top of ``cypher/`` except ``schema.cypher``; the sub-folders hold graphvc's own queries.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphvc.db import cypher_dir
from graphvc.errors import QueryError
from graphvc.queries.cypher_text import IDENTIFIER, code_only, is_comment
from graphvc.queries.parameters import Parameter, parse_parameter

__all__ = [
    "TEAMS",
    "Column",
    "StoredQuery",
    "library_dir",
    "list_queries",
    "load_query",
    "parse_query",
]

#: The specialist teams the library serves; ``all teams`` marks a query for every team.
TEAMS: tuple[str, ...] = (
    "gangs and firearms",
    "domestic abuse and hate crime",
    "rape and serious sexual offences",
    "robbery",
    "all teams",
)

#: Files at the top of ``cypher/`` that are not library queries.
_NOT_LIBRARY = frozenset({"schema"})
_NAME = re.compile(r"[a-z][a-z0-9_]*")
_ITEM = re.compile(
    rf"//\s*(?:(param|column)\s+({IDENTIFIER})|(title|description|team|mode))\s*:(.*)"
)
_CONTINUATION = re.compile(r"//\s{2,}(\S.*)")


@dataclass(frozen=True)
class Column:
    """A declared result column."""

    name: str
    description: str


@dataclass(frozen=True)
class StoredQuery:
    """A Cypher query with its header: what it is for, its parameters and its columns."""

    name: str
    title: str
    description: str
    team: str
    mode: str
    params: tuple[Parameter, ...]
    columns: tuple[Column, ...]
    text: str
    path: Path | None = None

    @property
    def sha256(self) -> str:
        """The SHA-256 of the query's text: which version ran, for the audit trail."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def audit_details(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """What the audit trail records of a run with ``values``: the query's name, hash, file
        and parameters (the persons they name are looked up in the graph:
        :func:`graphvc.queries.persons_among`)."""
        return {
            "query": self.name,
            "sha256": self.sha256,
            "file": str(self.path) if self.path else None,
            "parameters": dict(values),
        }

    @property
    def body(self) -> str:
        """The Cypher after the header."""
        lines = self.text.splitlines()
        start = next(
            (i for i, line in enumerate(lines) if line.strip() and not is_comment(line)),
            len(lines),
        )
        return "\n".join(lines[start:])

    @property
    def used_parameters(self) -> set[str]:
        """The ``$parameters`` the Cypher uses (comments and string literals aside)."""
        return set(re.findall(rf"\$`?({IDENTIFIER})", code_only(self.text)))

    @property
    def examples(self) -> dict[str, Any]:
        """The declared examples, for a trial run."""
        return {p.name: p.example for p in self.params if p.example is not None}

    def parameter(self, name: str) -> Parameter:
        """The declared parameter ``name``; a :class:`QueryError` if there is none."""
        for parameter in self.params:
            if parameter.name == name:
                return parameter
        raise QueryError(f"query {self.name!r} has no parameter {name!r}")


def library_dir() -> Path:
    """The folder of the library's query files (the top of ``cypher/``)."""
    return cypher_dir()


def list_queries(team: str | None = None) -> list[StoredQuery]:
    """Every library query, by name; with ``team``, that team's and those for all teams."""
    found = [
        load_query(path)
        for path in sorted(library_dir().glob("*.cypher"))
        if path.stem not in _NOT_LIBRARY
    ]
    if team is None:
        return found
    return [q for q in found if q.team in (team, "all teams")]


def load_query(name_or_path: str | Path) -> StoredQuery:
    """A library query by name (``co_offenders``), or any query file by path.

    A string with a ``/`` or ending in ``.cypher`` is a path. Raises :class:`QueryError` when
    there is no such query or its header is incomplete or disagrees with its Cypher.
    """
    text_name = str(name_or_path)
    if isinstance(name_or_path, Path) or "/" in text_name or text_name.endswith(".cypher"):
        path = Path(name_or_path)
    elif _NAME.fullmatch(text_name) and text_name not in _NOT_LIBRARY:
        path = library_dir() / f"{text_name}.cypher"
        if not path.is_file():
            known = ", ".join(q.name for q in list_queries())
            raise QueryError(f"no library query {text_name!r}; the library holds: {known}")
    else:
        raise QueryError(f"{text_name!r} is not the name of a library query")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise QueryError(f"cannot read the query file {str(path)!r}: {e}") from e
    return parse_query(text, name=path.stem, path=path)


def parse_query(text: str, *, name: str, path: Path | None = None) -> StoredQuery:
    """Read a query's header and check it against the Cypher below it.

    Examples
    --------
    >>> query = parse_query('''// title: Person by id
    ... // description: One person's age band.
    ... // team: all teams
    ... // param person_id: string, required, example "P1" -- the person
    ... // param limit: integer, default 10, min 1 -- most rows
    ... // column age_band: the person's age band
    ... // mode: read
    ... MATCH (p:Person {id: $person_id}) RETURN p.age_band AS age_band LIMIT $limit''',
    ...     name="person")
    >>> [(p.name, p.type, p.required, p.default) for p in query.params]
    [('person_id', 'string', True, None), ('limit', 'integer', False, 10)]
    >>> parse_query("MATCH (n) RETURN n.id AS id", name="bare")
    Traceback (most recent call last):
    ...
    graphvc.errors.QueryError: query 'bare': the header lacks title, description, team, mode (lines such as `// title: ...` at the top)
    """
    where = f"query {name!r}"
    items: list[list[str]] = []  # [kind, name, value]
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if not is_comment(line):
            break
        stripped = line.strip()
        item, continued = _ITEM.fullmatch(stripped), _CONTINUATION.fullmatch(stripped)
        if item:
            kind = item.group(1) or item.group(3)
            items.append([kind, item.group(2) or "", item.group(4).strip()])
        elif continued and items:
            items[-1][2] += " " + continued.group(1).strip()
        elif stripped.strip("/ "):
            raise QueryError(
                f"{where} line {number}: {stripped!r} is not a header item "
                "(title, description, team, param NAME, column NAME, mode)"
            )
    fields: dict[str, str] = {}
    for kind, _, value in items:
        if kind in ("title", "description", "team", "mode"):
            if kind in fields:
                raise QueryError(f"{where}: the header gives {kind} twice")
            fields[kind] = value
    missing = [k for k in ("title", "description", "team", "mode") if not fields.get(k)]
    if missing:
        raise QueryError(
            f"{where}: the header lacks {', '.join(missing)} (lines such as `// title: ...` at the top)"
        )
    if fields["mode"] not in ("read", "write"):
        raise QueryError(f"{where}: mode {fields['mode']!r} must be read or write")
    params = tuple(
        parse_parameter(where, pname, spec) for kind, pname, spec in items if kind == "param"
    )
    columns = tuple(Column(cname, spec) for kind, cname, spec in items if kind == "column")
    for label, names in (
        ("parameter", [p.name for p in params]),
        ("column", [c.name for c in columns]),
    ):
        doubled = sorted({n for n in names if names.count(n) > 1})
        if doubled:
            raise QueryError(f"{where}: {label} {doubled[0]!r} is declared twice")
    if fields["mode"] == "read" and not columns:
        raise QueryError(f"{where}: the header declares no column (`// column NAME: meaning`)")
    query = StoredQuery(
        name=name,
        title=fields["title"],
        description=fields["description"],
        team=fields["team"],
        mode=fields["mode"],
        params=params,
        columns=columns,
        text=text,
        path=path,
    )
    declared, used = {p.name for p in params}, query.used_parameters
    if used - declared:
        raise QueryError(
            f"{where} uses ${sorted(used - declared)[0]} but its header does not declare it"
        )
    # The runner ends every result in LIMIT $limit: `limit` may be declared for it alone.
    if declared - used - {"limit"}:
        raise QueryError(
            f"{where} declares parameter {sorted(declared - used - {'limit'})[0]!r} "
            "but does not use it"
        )
    return query
