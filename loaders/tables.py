"""The input contract's tables and how a folder of them is read.

The tables and their columns are :data:`graphvc.contract.TABLES` (``docs/input-contract.md``). A table is ``NAME.csv`` (UTF-8) or ``NAME.parquet``. Reading
checks only what makes a file unusable as a whole (missing, undecodable, wrong header): such a
file raises :class:`graphvc.errors.InputError` before anything is written. Row-level problems are
left to :mod:`loaders.validate`, which quarantines the bad rows.

Every table comes back with all cells as strings (missing cells as ``<NA>``) and a ``_row``
column: the row's number in its file, counting the header as row 1, as a spreadsheet shows it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow.lib

from graphvc.contract import TABLES, TableSpec
from graphvc.errors import InputError

__all__ = ["ROW", "find_tables", "read_table"]

ROW = "_row"


def find_tables(folder: Path) -> dict[str, Path]:
    """The contract tables present in ``folder``, by name.

    Raises :class:`InputError` when the folder is missing, holds none of them, or holds one
    table as both CSV and Parquet.
    """
    if not folder.is_dir():
        raise InputError(f"{folder}: not a folder")
    found: dict[str, Path] = {}
    for name in TABLES:
        candidates = [p for p in (folder / f"{name}.csv", folder / f"{name}.parquet") if p.exists()]
        if len(candidates) > 1:
            raise InputError(f"{folder}: {name} is there as both CSV and Parquet; keep one")
        if candidates:
            found[name] = candidates[0]
    if not found:
        expected = ", ".join(f"{name}.csv" for name in TABLES)
        raise InputError(f"{folder}: none of the input tables is there (expected {expected})")
    return found


def read_table(path: Path, spec: TableSpec) -> pd.DataFrame:
    """Read one table as strings, checking its header against ``spec``."""
    try:
        if path.suffix == ".parquet":
            frame = pd.read_parquet(path).astype("string")
        else:
            frame = pd.read_csv(
                path, dtype="string", keep_default_na=False, na_values=[""], encoding="utf-8-sig"
            )
    except UnicodeDecodeError as e:
        raise InputError(
            f"{path}: not UTF-8 text (byte {e.start}: {e.object[e.start : e.start + 1]!r})"
        ) from None
    except (
        pd.errors.ParserError,
        pd.errors.EmptyDataError,
        pyarrow.lib.ArrowException,
        OSError,
    ) as e:
        raise InputError(f"{path}: cannot be read: {str(e).splitlines()[0]}") from None
    header = [str(c).strip() for c in frame.columns]
    frame.columns = pd.Index(header)
    missing = [c for c in spec.required if c not in header]
    unknown = [c for c in header if c not in spec.columns]
    if missing or unknown:
        problems = []
        if missing:
            problems.append(f"missing required column(s) {', '.join(missing)}")
        if unknown:
            problems.append(f"unknown column(s) {', '.join(map(repr, unknown))}")
        raise InputError(
            f"{path}: wrong header: {'; '.join(problems)} (expected {', '.join(spec.columns)})"
        )
    for column in spec.columns:
        if column not in frame:
            frame[column] = pd.Series(pd.NA, index=frame.index, dtype="string")
        else:
            frame[column] = frame[column].str.strip().replace("", pd.NA)
    frame = frame[list(spec.columns)].copy()
    frame[ROW] = range(2, len(frame) + 2)
    return frame
