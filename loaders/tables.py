"""The input contract's tables and how a folder of them is read.

The tables and their columns are :data:`graphvc.contract.TABLES` (``docs/input-contract.md``). A table is ``NAME.csv`` (UTF-8) or ``NAME.parquet``. Reading
checks only what makes a file unusable as a whole (missing, undecodable, wrong header): such a
file raises :class:`graphvc.errors.InputError` before anything is written. Row-level problems are
left to :mod:`loaders.validate`, which quarantines the bad rows.

Every table comes back with all cells as strings (missing cells as ``<NA>``) and a ``_row``
column: the row's number in its file, counting the header as row 1, as a spreadsheet shows it.
A CSV row that cannot be a row of the table (more or fewer fields than the header, a stray
quote, a last line cut inside a quoted field) is set aside with its raw text as a reject, and
the rows around it are read on.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow.lib

from graphvc.contract import TABLES, TableSpec
from graphvc.errors import InputError

__all__ = ["REJECT_COLUMNS", "ROW", "Table", "find_tables", "read_table"]

ROW = "_row"
REJECT_COLUMNS = ["file", "row", "field", "value", "reason"]


@dataclass
class Table:
    """One table as read: its rows as strings, and the rows that could not be split into cells."""

    rows: pd.DataFrame
    malformed: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=REJECT_COLUMNS))


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


class _Tape:
    """The lines a CSV reader takes, kept so that a malformed record can be quoted as it was."""

    def __init__(self, text: str) -> None:
        # Lines end at \n, \r or \r\n only, as the csv module expects (not at str.splitlines'
        # form feeds and separators, which may stand inside a field).
        self._lines = iter(io.StringIO(text, newline=""))
        self.taken: list[str] = []

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.taken.append(line)
        return line

    def raw(self) -> str:
        return "".join(self.taken).rstrip("\r\n")


def _read_csv(path: Path) -> tuple[list[str], list[list[str]], list[int], list[dict[str, object]]]:
    """Header, well-formed records, their row numbers and the malformed records of a CSV file."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(
            f"{path}: not UTF-8 text (byte {e.start}: {e.object[e.start : e.start + 1]!r})"
        ) from None
    except OSError as e:
        raise InputError(f"{path}: cannot be read: {e.strerror}") from None
    tape = _Tape(text)
    reader = csv.reader(tape, strict=True)
    header: list[str] | None = None
    records: list[list[str]] = []
    numbers: list[int] = []
    malformed: list[dict[str, object]] = []
    row = 0
    while True:
        tape.taken.clear()
        cells: list[str] | None
        problem = ""
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            cells, problem = None, str(e)
            if problem == "unexpected end of data":
                problem = "the file ends inside a quoted field"
        row += 1
        if cells == []:  # a blank line
            continue
        if header is None:
            if cells is None:
                raise InputError(f"{path}: cannot be read: the header is not CSV ({problem})")
            header = cells
        elif cells is None or len(cells) != len(header):
            if cells is not None:
                problem = f"{len(cells)} fields where the header has {len(header)}"
            malformed.append(
                {"file": str(path), "row": row, "field": "", "value": tape.raw(), "reason": problem}
            )
        else:
            records.append(cells)
            numbers.append(row)
    if header is None:
        raise InputError(f"{path}: cannot be read: the file is empty (no header)")
    return header, records, numbers, malformed


def read_table(path: Path, spec: TableSpec) -> Table:
    """Read one table as strings, checking its header against ``spec``."""
    malformed: list[dict[str, object]] = []
    if path.suffix == ".parquet":
        try:
            frame = pd.read_parquet(path).astype("string")
        except (pyarrow.lib.ArrowException, OSError, ValueError) as e:
            raise InputError(f"{path}: cannot be read: {str(e).splitlines()[0]}") from None
        frame[ROW] = range(2, len(frame) + 2)
    else:
        header, records, numbers, malformed = _read_csv(path)
        frame = pd.DataFrame(records, columns=header, dtype="string")
        frame[ROW] = numbers
    header = [str(c).strip() for c in frame.columns if c != ROW]
    frame.columns = pd.Index([*header, ROW])
    missing = [c for c in spec.required if c not in header]
    unknown = [c for c in header if c not in spec.columns]
    doubled = sorted({c for c in header if header.count(c) > 1})
    if missing or unknown or doubled:
        problems = []
        if missing:
            problems.append(f"missing required column(s) {', '.join(missing)}")
        if unknown:
            problems.append(f"unknown column(s) {', '.join(map(repr, unknown))}")
        if doubled:
            problems.append(f"column(s) given twice {', '.join(map(repr, doubled))}")
        raise InputError(
            f"{path}: wrong header: {'; '.join(problems)} (expected {', '.join(spec.columns)})"
        )
    for column in spec.columns:
        if column not in frame:
            frame[column] = pd.Series(pd.NA, index=frame.index, dtype="string")
        else:
            stripped = frame[column].str.strip()
            frame[column] = stripped.where(stripped != "")
    rows = frame[[*spec.columns, ROW]].reset_index(drop=True)
    rows[ROW] = rows[ROW].astype("int64")
    return Table(rows, pd.DataFrame(malformed, columns=REJECT_COLUMNS))
