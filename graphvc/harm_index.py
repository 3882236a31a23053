"""The crime harm table: offence codes, their harm weight and default continuum category.

Harm is counted, in the style of the Cambridge Crime Harm Index, as the number of days of
imprisonment that the sentencing guidelines give as the starting point for a first offence
(Sherman, Neyroud & Neyroud 2016). graphvc ships an approximate table
(``graphvc/data/harm_index.csv``; docs/guide/loading.md says where each figure comes from); set
``GRAPHVC_HARM_TABLE`` to a CSV of your own with the same columns to replace it.

References
----------
.. [1] Sherman, L., Neyroud, P. W., & Neyroud, E. (2016). The Cambridge Crime Harm Index:
   Measuring total harm from crime based on sentencing guidelines. Policing, 10(3), 171-183.
   https://doi.org/10.1093/police/paw003
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from graphvc.contract import CATEGORIES
from graphvc.errors import InputError

__all__ = ["DEFAULT_HARM_TABLE", "HarmTable", "load_harm_table"]

DEFAULT_HARM_TABLE = Path(__file__).resolve().parent / "data" / "harm_index.csv"
_COLUMNS = ["offence", "description", "harm_days", "category"]


@dataclass(frozen=True)
class HarmTable:
    """Offence code -> harm in days and default category."""

    table: pd.DataFrame
    source: Path

    @property
    def offences(self) -> tuple[str, ...]:
        return tuple(self.table["offence"])

    def defaults_for(self, offences: pd.Series) -> pd.DataFrame:
        """``harm_days`` and ``category`` for each offence code in ``offences`` (aligned)."""
        lookup = self.table.set_index("offence")
        return pd.DataFrame(
            {
                "harm_days": offences.map(lookup["harm_days"]).astype("float64"),
                "category": offences.map(lookup["category"]),
            },
            index=offences.index,
        )


def load_harm_table(path: Path | str | None = None) -> HarmTable:
    """Read and check a harm table (default: ``GRAPHVC_HARM_TABLE`` or the bundled one).

    >>> table = load_harm_table()
    >>> int(table.table.set_index("offence").at["homicide", "harm_days"])
    5475
    """
    source = Path(path or os.environ.get("GRAPHVC_HARM_TABLE") or DEFAULT_HARM_TABLE)
    try:
        table = pd.read_csv(source, dtype={"offence": "string", "category": "string"})
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as e:
        raise InputError(f"{source}: cannot read the harm table: {e}") from None
    missing = [c for c in _COLUMNS if c not in table]
    if missing:
        raise InputError(f"{source}: harm table lacks column(s) {', '.join(missing)}")
    harm = pd.to_numeric(table["harm_days"], errors="coerce")
    for row, (offence, days, value, category) in enumerate(
        zip(table["offence"], harm, table["harm_days"], table["category"], strict=True), start=2
    ):
        if pd.isna(days) or days < 0:
            raise InputError(
                f"{source} row {row}: harm_days {value!r} of {offence!r} is not a number >= 0"
            )
        if category not in CATEGORIES:
            raise InputError(
                f"{source} row {row}: category {category!r} of {offence!r} is not on the continuum"
            )
    if table["offence"].duplicated().any():
        twice = table.loc[table["offence"].duplicated(), "offence"].iloc[0]
        raise InputError(f"{source}: offence {twice!r} appears twice")
    table["harm_days"] = harm.astype("float64")
    return HarmTable(table[_COLUMNS].reset_index(drop=True), source)
