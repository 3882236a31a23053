"""What the ``graphvc`` command groups share: one-line errors, the settings, a driver, the
options several commands take and the formatting of rows as a table, CSV or JSON.

Every ``--json`` output goes through :func:`echo_json`: strict JSON, ``null`` where a value is
missing, never ``NaN`` or ``Infinity`` (which ``jq`` and JavaScript refuse).

What only some functions here use (the local server, the driver's connection, the CSV
writer, the plain-language tables) is imported by the function that uses it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import click

from graphvc.cli._errors import OneLineErrors
from graphvc.config import Settings
from graphvc.errors import GraphvcError

# The runs' own default window, whose module loads the analysis (pandas, networkx): what a
# command that imports these options waits for; `graphvc --help` imports none of them.
from graphvc.runs.parameters import DEFAULT_WINDOW_DAYS, parse_as_of

if TYPE_CHECKING:
    import neo4j
    import pandas as pd

    from graphvc.runs import AnalysisParameters

__all__ = [
    "ADDRESS",
    "AS_OF",
    "GEOGRAPHY",
    "JSON_SUMMARY",
    "PORT",
    "RESOLVE",
    "SEED",
    "TIES",
    "TIE_WEIGHT",
    "WEIGHTS",
    "WINDOW",
    "OneLineErrors",
    "analysis_parameters",
    "echo_json",
    "format_rows",
    "incidents_option",
    "json_default",
    "json_text",
    "open_driver",
    "seed_option",
    "settings_of",
]


def settings_of(ctx: click.Context) -> Settings:
    """The settings the root ``graphvc`` group read, or those of the environment when a
    group runs on its own (as the tests run ``data``)."""
    return ctx.find_object(Settings) or Settings.from_env()


@contextmanager
def open_driver(settings: Settings) -> Iterator[neo4j.Driver]:
    """A driver for the configured server, starting the managed one when needed."""
    from graphvc import localserver
    from graphvc.db import connect

    localserver.ensure_running(settings)
    driver = connect(settings)
    try:
        yield driver
    finally:
        driver.close()


# --- Options several commands take ------------------------------------------------------------

Decorated = TypeVar("Decorated", bound=Callable[..., Any])

JSON_SUMMARY = click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")


def incidents_option(default: int, help: str) -> Callable[[Decorated], Decorated]:
    return click.option(
        "--incidents", "n_incidents", type=int, default=default, show_default=True, help=help
    )


def seed_option(default: int, help: str) -> Callable[[Decorated], Decorated]:
    return click.option("--seed", type=int, default=default, show_default=True, help=help)


GEOGRAPHY = click.option(
    "--geography",
    type=click.Choice(["auto", "city", "london"]),
    default="auto",
    show_default=True,
    help="auto: London when its reference data is installed, else the synthetic city.",
)
ADDRESS = click.option(
    "--address", default="127.0.0.1", show_default=True, help="Address to serve on."
)
PORT = click.option("--port", default=8501, show_default=True, help="Port to serve on.")


AS_OF = click.option(
    "--as-of",
    "as_of",
    default=None,
    callback=lambda ctx, param, value: parse_as_of(value),
    help="As of the start of this date [default: the day after the latest incident].",
)
WINDOW = click.option(
    "--window",
    "window_days",
    type=click.IntRange(1, 36500),
    default=DEFAULT_WINDOW_DAYS,
    show_default=True,
    help="Days before --as-of that the network and offending scores look at.",
)
SEED = seed_option(0, "Seed of sampled and community measures.")
TIES = click.option(
    "--ties",
    default=None,
    metavar="LAYER,...",
    help="Tie layers of the person network, comma-separated: co-offending, family, partner, "
    "gang, associate, other [default: all].",
)
TIE_WEIGHT = click.option(
    "--tie-weight",
    "tie_weight",
    multiple=True,
    metavar="LAYER=W",
    help="A layer's weight (default 1); repeat for each layer, e.g. --tie-weight gang=2.",
)

WEIGHTS = click.option(
    "--weights",
    type=click.Choice(["strength", "none"]),
    default="strength",
    show_default=True,
    help="strength: a tie's strength (shared incidents, an association's weight) brings people "
    "closer in every network measure; none: every tie counts as one (unweighted measures).",
)
RESOLVE = click.option(
    "--resolve",
    type=click.Choice(["confirmed", "none"]),
    default="confirmed",
    show_default=True,
    help="confirmed: count each cluster of records an analyst confirmed as one person "
    "(the identities page); none: ignore the decisions.",
)


def _tie_weight(pairs: tuple[str, ...]) -> dict[str, float]:
    weights: dict[str, float] = {}
    for pair in pairs:
        layer, separator, value = pair.partition("=")
        try:
            weights[layer.strip()] = float(value)
        except ValueError:
            separator = ""
        if not separator:
            raise GraphvcError(f"--tie-weight {pair!r} is not LAYER=NUMBER, e.g. gang=2")
    return weights


def analysis_parameters(
    ties: str | None, tie_weight: tuple[str, ...], **chosen: Any
) -> AnalysisParameters:
    """The analysis parameters of a command's --ties, --tie-weight and other options."""
    from graphvc.runs import AnalysisParameters, choose_ties

    layers = None if ties is None else [t.strip() for t in ties.split(",") if t.strip()]
    return AnalysisParameters(tie_weights=choose_ties(layers, _tie_weight(tie_weight)), **chosen)


# --- Rows as text -----------------------------------------------------------------------------


def json_default(value: Any) -> Any:
    """Date-times as ISO 8601, numpy scalars as Python numbers, anything else as text."""
    for method in ("isoformat", "item"):
        if callable(getattr(value, method, None)):
            return getattr(value, method)()
    return str(value)


def _is_missing(value: Any) -> bool:
    """NaN of any kind, ``NaT`` and ``pd.NA``: the values that are not equal to themselves
    (``pd.NA`` answers neither yes nor no)."""
    try:
        return bool(value != value)
    except (TypeError, ValueError):
        return type(value).__name__ == "NAType"


def _json_ready(value: Any, default: Callable[[Any], Any]) -> Any:
    """``value`` with its containers as dicts and lists, every missing or infinite number as
    None and what JSON has no type for through ``default``."""
    if value is None or isinstance(value, str | bool):
        return value
    if isinstance(value, Mapping):
        return {
            k if isinstance(k, str | int | float | bool) else str(k): _json_ready(v, default)
            for k, v in value.items()
        }
    if isinstance(value, list | tuple | set | frozenset):
        return [_json_ready(v, default) for v in value]
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):  # numpy's float64 too
        return float(value) if math.isfinite(value) else None
    if callable(getattr(value, "tolist", None)):  # numpy arrays and other numpy scalars
        return _json_ready(value.tolist(), default)
    if _is_missing(value):
        return None
    shown = default(value)
    return shown if isinstance(shown, str) else _json_ready(shown, default)


def json_text(
    value: Any,
    *,
    sort_keys: bool = False,
    indent: int | None = None,
    default: Callable[[Any], Any] = json_default,
) -> str:
    """``value`` as strict JSON: missing values (NaN, ``NaT``, ``pd.NA``) and infinities as
    ``null``, date-times and other values JSON has no type for through ``default``.

    >>> json_text({"detected": float("nan"), "limit": float("inf"), "n": 2})
    '{"detected": null, "limit": null, "n": 2}'
    """
    return json.dumps(
        _json_ready(value, default),
        sort_keys=sort_keys,
        indent=indent,
        ensure_ascii=False,
        allow_nan=False,
    )


def echo_json(
    value: Any,
    *,
    sort_keys: bool = False,
    indent: int | None = None,
    default: Callable[[Any], Any] = json_default,
) -> None:
    """Print ``value`` as one strict JSON document (:func:`json_text`): every ``--json``."""
    click.echo(json_text(value, sort_keys=sort_keys, indent=indent, default=default))


def _csv_cell(value: Any) -> Any:
    """Lists and maps as JSON, date-times as ISO 8601: one cell each."""
    if isinstance(value, list | dict):
        return json_text(value)
    return value.isoformat() if hasattr(value, "isoformat") else value


def format_rows(frame: pd.DataFrame, output_format: str) -> str:
    """``frame`` as ``"table"`` (for people: :func:`graphvc.display.plain_table`'s labels
    and formats, whole numbers as integers, missing as "—"), ``"csv"`` (formula cells
    quoted) or ``"json"`` (a list of records, strict JSON: ``null`` for missing), ending in a
    newline. CSV and JSON keep the columns' names and values for machines."""
    from graphvc.display import plain_table
    from graphvc.files import csv_text

    records = frame.astype(object).where(frame.notna(), None)
    if output_format == "json":
        return json_text(records.to_dict(orient="records")) + "\n"
    if output_format == "csv":
        return csv_text(records.map(_csv_cell), index=False)
    if frame.empty:
        return f"no rows (columns: {', '.join(map(str, frame.columns))})\n"
    return plain_table(frame).to_string(index=False) + "\n"
