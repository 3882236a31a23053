"""Stored Cypher queries: the specialist teams' library, and a runner that only reads.

A stored query is one ``.cypher`` file that opens with a header of ``//`` comment lines, one
item a line (an indented ``//`` line continues the item above it)::

    // title: Co-offenders of a person
    // description: People who offended with $person_id in the same incidents, up to $hops hops.
    // team: gangs and firearms
    // param person_id: string, required, example "P1" -- the person
    // param hops: integer, default 2, example 2, min 1, max 3 -- hops through shared incidents
    // column co_offender_id: the co-offender's person id
    // mode: read

A parameter is ``NAME: TYPE, required`` or ``NAME: TYPE, default VALUE``, then optionally
``example VALUE``, ``min VALUE``, ``max VALUE`` and ``one of A|B|C``, then ``--`` and what it
means. Values are JSON (``"P1"``, ``2``, ``null``, ``["a", "b"]``); types are those of
:data:`PARAMETER_TYPES`. The parameters declared must be exactly the ``$parameters`` the
query uses. The library is every ``.cypher`` file at the top of ``cypher/`` except
``schema.cypher``; the sub-folders hold graphvc's own queries.

:func:`run_stored_query` checks the values against the header, asks Neo4j for the query's
plan (``EXPLAIN``) and refuses a query whose plan writes unless the header says
``mode: write`` *and* the caller allows writes; administration, ``LOAD CSV`` and ``dbms``
procedures are refused always, as is every procedure not on :data:`READ_ONLY_PROCEDURES`.
Reads run in read transactions, where the server refuses any write, with a timeout that holds
for the whole run (a read is never retried). Whole nodes, relationships and paths are refused
in results, and :func:`identifying_reads` refuses, before anything runs, every query that could
read a person's name in any way (see its rule).
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import neo4j
import pandas as pd

from graphvc.contract import IDENTIFYING, LOCAL_TIME_ZONE
from graphvc.db import cypher_dir, explain, run_query
from graphvc.errors import GraphvcError, QueryError

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

PARAMETER_TYPES: tuple[str, ...] = (
    "string",
    "integer",
    "float",
    "boolean",
    "datetime",
    "date",
    "list<string>",
)

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
_IDENTIFIER = r"[A-Za-z_][A-Za-z0-9_]*"
_ITEM = re.compile(
    rf"//\s*(?:(param|column)\s+({_IDENTIFIER})|(title|description|team|mode))\s*:(.*)"
)
_CONTINUATION = re.compile(r"//\s{2,}(\S.*)")
# The loaders read local times without an offset as London's; so do the parameters.

# Plan operators that write, and those refused even to a query allowed to write.
_WRITE_OPERATORS = ("Create", "Merge", "Delete", "DetachDelete", "Set", "Remove", "Foreach")
_FORBIDDEN_OPERATORS = (
    "LoadCSV",
    "AdministrationCommand",
    "Show",
    "Terminate",
)

#: The only procedures a query may call: they read the schema's names and change nothing.
#: Every other one is refused (``db.stats.collect`` changes the server's state, and others
#: read other sessions' queries or the server's settings).
READ_ONLY_PROCEDURES: frozenset[str] = frozenset(
    {"db.labels", "db.relationshipTypes", "db.propertyKeys"}
)

#: Labels whose ``name`` is the name of a place, which a query may return.
PLACE_LABELS: tuple[str, ...] = ("Location", "Ward", "Borough")

#: Namespaces of Cypher's own functions; a function of any other (a plugin's) is refused.
_FUNCTION_NAMESPACES = frozenset(
    {"date", "datetime", "localdatetime", "localtime", "time", "duration", "point", "vector"}
)
#: Words after which ``[`` opens a list, not a subscript.
_KEYWORDS = frozenset({
    "and", "as", "asc", "ascending", "by", "call", "case", "contains", "create", "delete",
    "desc", "descending", "detach", "distinct", "else", "end", "ends", "exists", "foreach",
    "in", "is", "limit", "match", "merge", "not", "null", "on", "optional", "or", "order",
    "remove", "return", "set", "skip", "starts", "then", "union", "unwind", "when", "where",
    "with", "xor", "yield",
})  # fmt: skip
#: What a subscript may hold once ``range()`` variables are taken out: arithmetic on numbers.
_SAFE_INDEX = re.compile(r"[\s\d+\-*/%().]*")


@dataclass(frozen=True)
class Parameter:
    """A declared ``$parameter``: its type, default or requirement, example and limits."""

    name: str
    type: str
    required: bool
    default: Any
    example: Any
    description: str
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] | None = None


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

    def audit_details(self, values: Mapping[str, Any]) -> tuple[list[str], dict[str, Any]]:
        """What the audit trail records of a run with ``values``: the person ids they name
        (parameters ``person...``), and the query's name, hash, file and parameters."""
        named: list[str] = []
        for key, value in values.items():
            if key.startswith("person") and value is not None:
                named += [str(v) for v in value] if isinstance(value, list) else [str(value)]
        what = {"query": self.name, "sha256": self.sha256,
                "file": str(self.path) if self.path else None, "parameters": dict(values)}  # fmt: skip
        return named, what

    @property
    def body(self) -> str:
        """The Cypher after the header."""
        lines = self.text.splitlines()
        start = next(
            (i for i, line in enumerate(lines) if line.strip() and not _is_comment(line)),
            len(lines),
        )
        return "\n".join(lines[start:])

    @property
    def used_parameters(self) -> set[str]:
        """The ``$parameters`` the Cypher uses (comments and string literals aside)."""
        return set(re.findall(rf"\$`?({_IDENTIFIER})", _code_only(self.text)))

    @property
    def examples(self) -> dict[str, Any]:
        """The declared examples, for a trial run."""
        return {p.name: p.example for p in self.params if p.example is not None}

    def parameter(self, name: str) -> Parameter:
        for parameter in self.params:
            if parameter.name == name:
                return parameter
        raise QueryError(f"query {self.name!r} has no parameter {name!r}")


def _is_comment(line: str) -> bool:
    return line.lstrip().startswith("//")


def _code_only(text: str) -> str:
    """``text`` with comments removed and string literals emptied (``'...'`` → ``''``)."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if text.startswith("//", i):
            i = text.find("\n", i)
            i = n if i < 0 else i
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
        elif char in "'\"`":
            j = i + 1
            while j < n and text[j] != char:
                j += 2 if text[j] == "\\" else 1
            # Backticked names stay: $`name` is a parameter, and names are code.
            out.append(text[i : j + 1] if char == "`" else char * 2)
            i = j + 1
        else:
            out.append(char)
            i += 1
    return "".join(out)


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
        if not _is_comment(line):
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
        _parse_parameter(where, pname, spec) for kind, pname, spec in items if kind == "param"
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
    if declared - used:
        raise QueryError(
            f"{where} declares parameter {sorted(declared - used)[0]!r} but does not use it"
        )
    return query


def _json_value(where: str, text: str) -> tuple[Any, str]:
    """The JSON value at the start of ``text`` and what follows it."""
    try:
        value, end = json.JSONDecoder().raw_decode(text)
    except json.JSONDecodeError:
        raise QueryError(
            f'{where}: {text!r} does not start with a JSON value such as "P1", 2 or null'
        ) from None
    return value, text[end:].strip()


def _parse_parameter(where: str, name: str, spec: str) -> Parameter:
    where = f"{where} parameter {name!r}"
    body, separator, description = spec.partition(" -- ")
    if not separator or not description.strip():
        raise QueryError(f"{where}: say what it means after ` -- `")
    kind, _, rest = body.partition(",")
    kind, rest = kind.strip(), rest.strip()
    if kind not in PARAMETER_TYPES:
        raise QueryError(f"{where}: type {kind!r} is not one of {', '.join(PARAMETER_TYPES)}")
    options: dict[str, Any] = {}
    while rest:
        if rest.startswith("required"):
            options["required"], rest = True, rest[len("required") :].strip()
        elif rest.startswith("one of "):
            choice_text, _, rest = rest[len("one of ") :].partition(",")
            options["choices"] = tuple(c.strip() for c in choice_text.split("|") if c.strip())
            rest = "," + rest if rest else ""
        else:
            word, _, value_text = rest.partition(" ")
            if word not in ("default", "example", "min", "max"):
                raise QueryError(
                    f"{where}: {rest!r} should be required, default, example, min, max or one of"
                )
            options[word], rest = _json_value(where, value_text.strip())
        if rest and not rest.startswith(","):
            raise QueryError(f"{where}: expected a comma before {rest!r}")
        rest = rest[1:].strip()
    if bool(options.get("required")) == ("default" in options):
        raise QueryError(f"{where}: give either `required` or `default VALUE`")
    if kind not in ("integer", "float") and ("min" in options or "max" in options):
        raise QueryError(f"{where}: only integer and float parameters take min and max")
    if kind not in ("string", "list<string>") and "choices" in options:
        raise QueryError(f"{where}: only string and list<string> parameters take `one of`")
    parameter = Parameter(
        name=name,
        type=kind,
        required=bool(options.get("required")),
        default=None,
        example=None,
        description=description.strip(),
        minimum=options.get("min"),
        maximum=options.get("max"),
        choices=options.get("choices"),
    )
    return replace(
        parameter,
        default=_convert(where, parameter, options.get("default")),
        example=_convert(where, parameter, options.get("example")),
    )


def _convert(where: str, parameter: Parameter, value: Any) -> Any:
    """``value`` (text from the command line, or already typed) as ``parameter.type``."""
    if value is None:
        return None
    bad = QueryError(f"{where} = {value!r} is not {_ARTICLE[parameter.type]}")
    kind = parameter.type
    if kind == "string":
        if not isinstance(value, str):
            raise bad
        converted: Any = value
    elif kind == "integer":
        if isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d+\s*", value):
            converted = int(value)
        elif isinstance(value, int) and not isinstance(value, bool):
            converted = value
        else:
            raise bad
        if not -(2**63) <= converted < 2**63:
            raise QueryError(f"{where} = {value!r} is beyond a 64-bit whole number")
    elif kind == "float":
        try:
            converted = float(value) if not isinstance(value, bool) else None
        except (TypeError, ValueError):
            converted = None
        if (
            converted is None
            or converted != converted
            or converted in (float("inf"), float("-inf"))
        ):
            raise bad
    elif kind == "boolean":
        words = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}
        if isinstance(value, bool):
            converted = value
        elif isinstance(value, str) and value.strip().lower() in words:
            converted = words[value.strip().lower()]
        else:
            raise bad
    elif kind == "datetime":
        converted = _iso_datetime(value, bad)
    elif kind == "date":
        try:
            converted = (
                value.isoformat()
                if isinstance(value, date) and not isinstance(value, datetime)
                else date.fromisoformat(str(value).strip()).isoformat()
            )
        except ValueError:
            raise bad from None
    else:  # list<string>: a JSON array, or words separated by commas
        if isinstance(value, str):
            text = value.strip()
            try:
                value = (
                    json.loads(text)
                    if text.startswith("[")
                    else [w.strip() for w in text.split(",") if w.strip()]
                )
            except json.JSONDecodeError:
                raise bad from None
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise bad
        converted = list(value)
    _check_limits(where, parameter, converted)
    return converted


_ARTICLE = {
    "string": "a string",
    "integer": "a whole number",
    "float": "a number",
    "boolean": "true or false",
    "datetime": "a date-time such as 2024-01-31T18:00:00 (London time unless it has an offset)",
    "date": "a date such as 2024-01-31",
    "list<string>": "a list of strings (a,b,c or a JSON array)",
}


def _iso_datetime(value: Any, bad: QueryError) -> str:
    """An ISO 8601 date-time with its offset; London time when it has none."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            raise bad from None
    else:
        raise bad
    if moment.tzinfo is None:
        moment = (
            pd.Timestamp(moment)
            .tz_localize(LOCAL_TIME_ZONE, ambiguous=False, nonexistent="shift_forward")
            .to_pydatetime()
        )
    return moment.isoformat()


def _check_limits(where: str, parameter: Parameter, value: Any) -> None:
    if parameter.minimum is not None and value < parameter.minimum:
        raise QueryError(f"{where} = {value!r} is below its minimum {parameter.minimum}")
    if parameter.maximum is not None and value > parameter.maximum:
        raise QueryError(f"{where} = {value!r} is above its maximum {parameter.maximum}")
    if parameter.choices is not None:
        outside = [
            v for v in (value if isinstance(value, list) else [value]) if v not in parameter.choices
        ]
        if outside:
            raise QueryError(
                f"{where} = {outside[0]!r} is not one of {', '.join(parameter.choices)}"
            )


def check_parameters(query: StoredQuery, raw: Mapping[str, Any]) -> dict[str, Any]:
    """The values of every parameter of ``query``: given ones converted, the rest defaulted.

    ``raw`` maps names to text (as typed on the command line) or to typed values; ``None``
    means not given. Raises :class:`QueryError` naming the parameter and the value for an
    unknown parameter, a missing required one or a value of the wrong type.

    Examples
    --------
    >>> query = load_query("co_offenders")
    >>> check_parameters(query, {"person_id": "P1", "hops": "1"})["hops"]
    1
    >>> check_parameters(query, {"person_id": "P1", "hops": "two"})
    Traceback (most recent call last):
    ...
    graphvc.errors.QueryError: query 'co_offenders' parameter 'hops' = 'two' is not a whole number
    """
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(raw) - set(declared))
    if unknown:
        known = ", ".join(declared) or "none"
        raise QueryError(
            f"query {query.name!r} has no parameter {unknown[0]!r} (its parameters: {known})"
        )
    values: dict[str, Any] = {}
    for name, parameter in declared.items():
        given = raw.get(name)
        if given is None and parameter.required:
            example = f", e.g. {parameter.example!r}" if parameter.example is not None else ""
            raise QueryError(
                f"query {query.name!r} needs parameter {name!r} ({parameter.type}{example})"
            )
        where = f"query {query.name!r} parameter {name!r}"
        values[name] = parameter.default if given is None else _convert(where, parameter, given)
    return values


def _refusals(query_type: str, operators: Iterable[str]) -> tuple[list[str], list[str]]:
    """What in a plan is never allowed, and what writes."""
    forbidden, writes = [], []
    if query_type == "s":
        forbidden.append("schema or administration (query type 's')")
    elif query_type != "r":
        writes.append(f"query type {query_type!r}")
    for operator in operators:
        procedure = operator.removeprefix("ProcedureCall:")
        if operator.startswith(_FORBIDDEN_OPERATORS) or (
            procedure != operator and procedure not in READ_ONLY_PROCEDURES
        ):
            forbidden.append(operator)
        elif operator.startswith(_WRITE_OPERATORS) and operator not in writes:
            writes.append(operator)
    return forbidden, writes


def _unquoted(code: str) -> str:
    """``code`` with backticks taken off plain names: ``p.`name``` is ``p.name``."""
    return re.sub(r"`(\w+)`", r"\1", code)


def _bound_only_by(code: str, candidates: set[str], binding: str) -> set[str]:
    """Those of ``candidates`` bound by ``binding`` (a pattern with ``{v}`` in it) and never
    bound in any other way: ``AS v``, ``v IN``, ``v =``, ``[v``, ``YIELD ... v`` or a node
    pattern ``(v`` that ``binding`` does not match."""
    found = set()
    for variable in candidates:
        v = re.escape(variable)
        bound = binding.format(v=v)
        if not re.search(bound, code):
            continue
        others = [
            rf"(?i:\bAS)\s+{v}(?!\w)",
            rf"(?<![\w.$]){v}\s+(?i:IN)\b(?!\s+range\s*\()",
            rf"(?<![\w.$]){v}\s*=(?!~)",
            rf"(?:^|[^\w)\]}}\s])\s*\[\s*{v}(?!\w)(?!\s+(?i:IN)\s+range\s*\()",
            rf"(?i:\bYIELD)\b[^;]*?(?<![\w.$]){v}(?!\w)",
        ]
        if any(re.search(other, code) for other in others if not re.search(other, bound)):
            continue
        nodes = [m.start() for m in re.finditer(rf"\(\s*{v}(?!\w)", code)]
        if all(re.match(bound, code[start:]) for start in nodes):
            found.add(variable)
    return found


def identifying_reads(text: str) -> list[str]:
    """Why ``text`` could read a person's identifying property; empty when it cannot.

    The rule is decided on the query's code (comments and string literals removed, backticks
    taken off names) before anything runs. A query may read a property named as an
    identifying column of the contract (:data:`graphvc.contract.IDENTIFYING`: ``name``) only
    as ``v.name`` where ``v`` is bound only by node patterns with one place label
    (``(v:Location ...)``, ``(v:Ward ...)``, ``(v:Borough ...)``, :data:`PLACE_LABELS`) and in
    no other way (``AS v``, ``v IN``, ``v =``, ``[v``, ``YIELD v``, an unlabelled ``(v)``).
    And it may not read properties in any way that does not name them: ``keys()``,
    ``properties()``, ``v{.*}``, a subscript ``x[...]`` other than whole-number arithmetic on
    literals and ``range()`` variables, or a function of a plugin; nor name the key in a
    pattern or map (``{name: ...}``). The rule is stricter than it need be (``{name: w.name}``
    is refused too). It holds as long as no node is both a place and a Person, which the
    loaders never make.

    Examples
    --------
    >>> identifying_reads("MATCH (w:Ward) RETURN w.name AS ward_name")
    []
    >>> identifying_reads("MATCH (p:Person) RETURN p.`name` AS x")
    ["reads 'name' of 'p', which is not bound only as a place"]
    >>> identifying_reads("MATCH (p:Person) RETURN [k IN keys(p) | p[k]] AS x")
    ['reads properties by their keys (keys())', 'reads a property by a computed key (p[k])']
    """
    code = _unquoted(_code_only(text))
    problems: list[str] = []
    for function in sorted(set(re.findall(r"\b(keys|properties)\s*\(", code, flags=re.I))):
        problems.append(f"reads properties by their keys ({function}())")
    if re.search(r"\.\s*\*", code):
        problems.append("projects every property of a node (v{.*})")
    for call in re.finditer(r"(?<![\w.$])((?:\w+\s*\.\s*)+\w+)\s*\(", code):
        namespace = call.group(1).split(".")[0].strip().lower()
        is_procedure = re.search(r"(?i:\bCALL)\s*$", code[: call.start()])
        if not is_procedure and namespace not in _FUNCTION_NAMESPACES:
            problems.append(f"calls a function of a plugin ({call.group(1)})")
    counting = r"(?<![\w.$]){v}\s+(?i:IN)\s+range\s*\("
    counters = _bound_only_by(code, set(re.findall(counting.format(v=r"(\w+)"), code)), counting)
    for bracket in re.finditer(r"([\w)\]}])\s*\[", code):
        word = re.search(r"(\w+)$", code[: bracket.end(1)])
        if word and word.group(1).lower() in _KEYWORDS:
            continue
        depth, end = 1, bracket.end()
        while end < len(code) and depth:
            depth += {"[": 1, "]": -1}.get(code[end], 0)
            end += 1
        index = code[bracket.end() : end - 1]
        names = set(re.findall(r"[^\W\d]\w*", index))
        if names - counters or not _SAFE_INDEX.fullmatch(re.sub(r"[^\W\d]\w*", "", index)):
            subject = code[: bracket.end(1)].split()[-1]
            problems.append(f"reads a property by a computed key ({subject}[{index.strip()}])")
    labels = "|".join(PLACE_LABELS)
    place = rf"\(\s*{{v}}\s*:\s*(?:{labels})(?!\w)(?!\s*[|&:!%])"
    for key in sorted({column for _, column in IDENTIFYING}):
        k = re.escape(key)
        if re.search(rf"(?<![\w.$]){k}\s*:(?!:)", code):
            problems.append(f"names the key {key!r} in a pattern or map")
        owners = [
            re.search(r"(?:^|[^\w.`)\]}$])\s*(\w+)\s*$", code[: read.start()])
            for read in re.finditer(rf"\.\s*{k}(?!\w)", code)
        ]
        places = _bound_only_by(code, {o.group(1) for o in owners if o}, place)
        for owner in owners:
            if owner is None:
                problems.append(f"reads {key!r} of an expression, not of a variable")
            elif owner.group(1) not in places:
                problems.append(
                    f"reads {key!r} of {owner.group(1)!r}, which is not bound only as a place"
                )
    return list(dict.fromkeys(problems))


def _plain(value: Any, column: str, name: str) -> Any:
    """A result value as plain Python; whole nodes, relationships and paths are refused."""
    if isinstance(value, (neo4j.graph.Node, neo4j.graph.Relationship, neo4j.graph.Path)):
        raise QueryError(
            f"query {name!r} returns whole nodes, relationships or paths in column {column!r}: "
            "return their properties instead (a person's name never leaves the database)"
        )
    if isinstance(value, list):
        return [_plain(v, column, name) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v, column, name) for k, v in value.items()}
    to_native = getattr(value, "to_native", None)
    return to_native() if callable(to_native) else value


def run_stored_query(
    driver: neo4j.Driver,
    query: StoredQuery | str,
    params: Mapping[str, Any] | None = None,
    *,
    database: str = "neo4j",
    timeout: float | None = None,
    allow_write: bool = False,
) -> pd.DataFrame:
    """Check ``params``, refuse a query that would write, run it and return its rows.

    Parameters
    ----------
    driver : neo4j.Driver
    query : StoredQuery or str
        A loaded query, or a library name or file path for :func:`load_query`.
    params : mapping, optional
        Parameter values, as for :func:`check_parameters`.
    database : str
        Database name.
    timeout : float, optional
        Transaction timeout in seconds (``settings.query_timeout``).
    allow_write : bool
        Let a query whose header says ``mode: write`` write. Without it, a plan that writes is
        refused.

    Returns
    -------
    pandas.DataFrame
        One row per record; date-times as :class:`datetime.datetime`. With no rows, the
        declared columns.

    Raises
    ------
    QueryError
        Bad parameters; a plan that writes (unless allowed) or that administers the server,
        loads files or calls ``dbms`` procedures; whole nodes in the result; the timeout.
    """
    stored = query if isinstance(query, StoredQuery) else load_query(query)
    values = check_parameters(stored, params or {})
    leaks = identifying_reads(stored.text)
    if leaks:
        raise QueryError(
            f"refused: query {stored.name!r} could read a person's name ({'; '.join(leaks)})"
        )
    query_type, operators = explain(driver, stored.text, values, database=database)
    forbidden, writes = _refusals(query_type, operators)
    if forbidden:
        raise QueryError(
            f"refused: query {stored.name!r} is not a query of the graph ({', '.join(forbidden)})"
        )
    if writes and stored.mode != "write":
        raise QueryError(
            f"refused: query {stored.name!r} writes to the graph ({', '.join(writes)}) "
            "but its header does not declare `mode: write`"
        )
    if writes and not allow_write:
        raise QueryError(
            f"refused: query {stored.name!r} writes to the graph ({', '.join(writes)}); "
            "it runs only when writes are allowed (--allow-write)"
        )
    frame = run_query(
        driver, stored.text, values, database=database, timeout=timeout, write=bool(writes)
    )
    if frame.empty:
        return pd.DataFrame(columns=[c.name for c in stored.columns] or list(frame.columns))
    for column in frame.columns:
        if frame[column].dtype == object:
            frame[column] = [_plain(v, column, stored.name) for v in frame[column]]
    return frame


def check_library(
    driver: neo4j.Driver,
    queries: Iterable[StoredQuery] | None = None,
    *,
    database: str = "neo4j",
    timeout: float | None = None,
) -> pd.DataFrame:
    """Run each query (default: the library) with its example parameters.

    Returns one row per query: ``name``, ``passed``, ``rows``, ``seconds`` and ``message``
    (why it failed: an error, or columns other than those declared).
    """
    results = []
    for query in list_queries() if queries is None else queries:
        started = time.perf_counter()
        rows, message = 0, ""
        try:
            frame = run_stored_query(
                driver, query, query.examples, database=database, timeout=timeout
            )
            rows = len(frame)
            declared = [c.name for c in query.columns]
            if list(frame.columns) != declared:
                message = f"returns columns {list(frame.columns)}, declares {declared}"
        except GraphvcError as e:
            message = str(e)
        results.append(
            {
                "name": query.name,
                "passed": not message,
                "rows": rows,
                "seconds": round(time.perf_counter() - started, 3),
                "message": message,
            }
        )
    return pd.DataFrame(results, columns=["name", "passed", "rows", "seconds", "message"])
