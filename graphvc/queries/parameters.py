"""A stored query's parameters: declared in its header, checked and converted before a run.

A parameter is ``NAME: TYPE, required`` or ``NAME: TYPE, default VALUE``, then optionally
``example VALUE``, ``min VALUE``, ``max VALUE`` and ``one of A|B|C``, then ``--`` and what it
means. Values are JSON (``"P1"``, ``2``, ``null``, ``["a", "b"]``); types are those of
:data:`PARAMETER_TYPES`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import pandas as pd

from graphvc.contract import LOCAL_TIME_ZONE
from graphvc.errors import QueryError

if TYPE_CHECKING:
    from graphvc.queries.library import StoredQuery

__all__ = ["PARAMETER_TYPES", "Parameter", "check_parameters", "parse_parameter"]

PARAMETER_TYPES: tuple[str, ...] = (
    "string",
    "integer",
    "float",
    "boolean",
    "datetime",
    "date",
    "list<string>",
)


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


def _json_value(where: str, text: str) -> tuple[Any, str]:
    """The JSON value at the start of ``text`` and what follows it."""
    try:
        value, end = json.JSONDecoder().raw_decode(text)
    except json.JSONDecodeError:
        raise QueryError(
            f'{where}: {text!r} does not start with a JSON value such as "P1", 2 or null'
        ) from None
    return value, text[end:].strip()


def parse_parameter(where: str, name: str, spec: str) -> Parameter:
    """The parameter ``name`` declared by ``spec`` (what follows ``// param NAME:``) in the
    header of the query ``where`` names; its default and example converted to its type."""
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


# The loaders read local times without an offset as London's; so do the parameters.
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
    >>> from graphvc.queries import load_query
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
