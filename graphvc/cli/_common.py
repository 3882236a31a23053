"""What the ``graphvc`` command groups share: one-line errors, the settings, a driver, the
options several commands take and the formatting of rows as a table, CSV or JSON."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import click
import neo4j
import pandas as pd

from graphvc import localserver
from graphvc.config import Settings
from graphvc.db import connect
from graphvc.errors import GraphvcError
from graphvc.files import csv_text
from graphvc.runs import DEFAULT_WINDOW_DAYS, AnalysisParameters, choose_ties, parse_as_of

__all__ = [
    "ADDRESS",
    "AS_OF",
    "GEOGRAPHY",
    "JSON_SUMMARY",
    "PORT",
    "SEED",
    "TIES",
    "TIE_WEIGHT",
    "WINDOW",
    "OneLineErrors",
    "analysis_parameters",
    "format_rows",
    "incidents_option",
    "interruption",
    "json_default",
    "open_driver",
    "seed_option",
    "settings_of",
]


def interruption(error: BaseException) -> BaseException | None:
    """The interruption (Ctrl+C, SIGTERM: an exception that is not an :class:`Exception`)
    that ``error`` was raised while handling, if any: an error in a clean-up on the way out
    (a driver whose connection the interruption cut) is not what ended the command."""
    seen: set[int] = set()
    cause = error.__context__
    while cause is not None and id(cause) not in seen:
        if not isinstance(cause, Exception):
            return cause
        seen.add(id(cause))
        cause = cause.__context__
    return None


class OneLineErrors(click.Group):
    """A group whose commands end a :class:`GraphvcError` in one line, without a traceback;
    one raised while an interruption was on its way out lets the interruption go on."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except GraphvcError as e:
            interrupted = interruption(e)
            if interrupted is not None:
                raise interrupted from None
            # One line, even when the message quotes a multi-line driver error.
            raise click.ClickException(" ".join(str(e).splitlines())) from None


def settings_of(ctx: click.Context) -> Settings:
    """The settings the root ``graphvc`` group read, or those of the environment when a
    group runs on its own (as the tests run ``data``)."""
    return ctx.find_object(Settings) or Settings.from_env()


@contextmanager
def open_driver(settings: Settings) -> Iterator[neo4j.Driver]:
    """A driver for the configured server, starting the managed one when needed."""
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
    layers = None if ties is None else [t.strip() for t in ties.split(",") if t.strip()]
    return AnalysisParameters(tie_weights=choose_ties(layers, _tie_weight(tie_weight)), **chosen)


# --- Rows as text -----------------------------------------------------------------------------


def json_default(value: Any) -> Any:
    """Date-times as ISO 8601, numpy scalars as Python numbers, anything else as text."""
    for method in ("isoformat", "item"):
        if callable(getattr(value, method, None)):
            return getattr(value, method)()
    return str(value)


def _csv_cell(value: Any) -> Any:
    """Lists and maps as JSON, date-times as ISO 8601: one cell each."""
    if isinstance(value, list | dict):
        return json.dumps(value, default=json_default)
    return value.isoformat() if hasattr(value, "isoformat") else value


def format_rows(frame: pd.DataFrame, output_format: str) -> str:
    """``frame`` as ``"table"`` (aligned text), ``"csv"`` (formula cells quoted) or
    ``"json"`` (a list of records), ending in a newline."""
    records = frame.astype(object).where(frame.notna(), None)
    if output_format == "json":
        rows = records.to_dict(orient="records")
        return json.dumps(rows, default=json_default, ensure_ascii=False) + "\n"
    if output_format == "csv":
        return csv_text(records.map(_csv_cell), index=False)
    if frame.empty:
        return f"no rows (columns: {', '.join(map(str, frame.columns))})\n"
    return frame.to_string(index=False) + "\n"
