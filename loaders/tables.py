"""The input contract's tables and how a folder of them is read.

The tables and their columns are :data:`graphvc.contract.TABLES` (``docs/input-contract.md``).
A table is ``NAME.csv`` (UTF-8) or ``NAME.parquet``, a regular file. Reading checks only what
makes a file unusable as a whole (missing, not a regular file, undecodable, wrong header): such
a file raises :class:`graphvc.errors.InputError` before anything is written. Row-level problems
are left to :mod:`loaders.validate`, which quarantines the bad rows.

Every table comes back with all cells as strings as the file gives them (missing cells of a
Parquet file, and the columns the file does not have, as ``<NA>``) and a ``_row`` column: the
row's number in its file, counting the header as row 1, as a spreadsheet shows it; a file's own
column of that name is refused. A CSV row that cannot be a row of the table (more or fewer
fields than the header, a stray quote, a last line cut inside a quoted field) is set aside with
its raw text as a reject, and the rows around it are read on; so is a Parquet row with a list,
map or struct in a cell.
"""

from __future__ import annotations

import csv
import io
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.lib
import pyarrow.parquet as pq

from graphvc.contract import TABLES, TableSpec
from graphvc.errors import InputError

__all__ = ["REJECT_COLUMNS", "ROW", "Table", "find_tables", "read_table"]

ROW = "_row"
REJECT_COLUMNS = ["file", "row", "field", "value", "reason"]


@dataclass
class Table:
    """One table as read: its rows as strings, the rows that could not be split into cells,
    and the optional columns its file does not have (whose values in the graph a load leaves
    alone, :func:`loaders.write.steps`)."""

    rows: pd.DataFrame
    malformed: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=REJECT_COLUMNS))
    absent: tuple[str, ...] = ()


def find_tables(folder: Path) -> dict[str, Path]:
    """The contract tables present in ``folder``, by name.

    Raises :class:`InputError` when the folder is missing, holds none of them, holds one
    table as both CSV and Parquet, or holds one that is not a regular file (a FIFO, a folder).
    """
    if not folder.is_dir():
        raise InputError(f"{folder}: not a folder")
    found: dict[str, Path] = {}
    for name in TABLES:
        candidates = [p for p in (folder / f"{name}.csv", folder / f"{name}.parquet") if p.exists()]
        for path in candidates:
            _check_regular(path)
        if len(candidates) > 1:
            raise InputError(f"{folder}: {name} is there as both CSV and Parquet; keep one")
        if candidates:
            found[name] = candidates[0]
    if not found:
        expected = ", ".join(f"{name}.csv" for name in TABLES)
        raise InputError(f"{folder}: none of the input tables is there (expected {expected})")
    return found


def _check_regular(path: Path) -> None:
    """Refuse a table that is not a regular file: reading a FIFO waits for a writer forever,
    and a device never ends."""
    mode = path.stat().st_mode
    if not stat.S_ISREG(mode):
        kinds = {stat.S_ISDIR: "a folder", stat.S_ISFIFO: "a FIFO (named pipe)"}
        kind = next((kind for test, kind in kinds.items() if test(mode)), "a device or socket")
        raise InputError(f"{path}: not a regular file but {kind}; graphvc reads only files")


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


def _read_parquet(path: Path) -> tuple[pd.DataFrame, list[str]]:
    """The cells of a Parquet file as read, and the columns of nested type (lists, maps,
    structs), whose cells are no single value of a table."""
    try:
        table = pq.read_table(path)
        frame = table.to_pandas()
    except (pyarrow.lib.ArrowException, OSError, ValueError) as e:
        raise InputError(f"{path}: cannot be read: {str(e).splitlines()[0]}") from None
    nested = [str(f.name) for f in table.schema if pa.types.is_nested(f.type)]
    return frame, [name for name in frame.columns if name in nested]


def _parquet_rows(
    path: Path, frame: pd.DataFrame, nested: list[str]
) -> tuple[pd.DataFrame, list[dict[str, object]]]:
    """The rows of a Parquet file as strings, numbered as a CSV file's would be, and a reject
    for each row with a nested cell (its text, such as ``['a' 'b']``, is no value)."""
    frame = frame.reset_index(drop=True)
    numbers = pd.Series(range(2, len(frame) + 2), index=frame.index)
    given = frame[nested].notna()
    held = given.any(axis=1)
    malformed: list[dict[str, object]] = []
    for index in held.index[held]:
        fields = [name for name in nested if given.at[index, name]]
        malformed.append(
            {
                "file": str(path),
                "row": int(numbers[index]),
                "field": "+".join(fields),
                "value": "|".join(_nested_text(frame.at[index, name]) for name in fields),
                "reason": "a list, map or struct, not a single value",
            }
        )
    rows = frame[~held].astype("string")
    rows[ROW] = numbers[~held]
    return rows, malformed


def _nested_text(cell: object) -> str:
    return str(cell.tolist() if isinstance(cell, np.ndarray) else cell)


def _header_problems(header: list[str], spec: TableSpec) -> list[str]:
    """What is wrong with a file's header for ``spec``: none when it is right."""
    missing = [c for c in spec.required if c not in header]
    unknown = [c for c in header if c not in (*spec.columns, ROW)]
    doubled = sorted({c for c in header if header.count(c) > 1})
    problems = []
    if missing:
        problems.append(f"missing required column(s) {', '.join(missing)}")
    if unknown:
        problems.append(f"unknown column(s) {', '.join(map(repr, unknown))}")
    if doubled:
        problems.append(f"column(s) given twice {', '.join(map(repr, doubled))}")
    if ROW in header:
        problems.append(f"a column {ROW!r}, the loader's own row number: rename or remove it")
    return problems


def read_table(path: Path, spec: TableSpec) -> Table:
    """Read one table as strings, checking its header against ``spec``.

    The optional columns a file does not have come back missing, and are named in
    :attr:`Table.absent`.
    """
    if path.suffix == ".parquet":
        cells, nested = _read_parquet(path)
        header = [str(c).strip() for c in cells.columns]
    else:
        csv_header, records, numbers, malformed = _read_csv(path)
        header = [c.strip() for c in csv_header]
    problems = _header_problems(header, spec)
    if problems:
        raise InputError(
            f"{path}: wrong header: {'; '.join(problems)} (expected {', '.join(spec.columns)})"
        )
    if path.suffix == ".parquet":
        cells.columns = pd.Index(header)
        frame, malformed = _parquet_rows(path, cells, [str(c).strip() for c in nested])
    else:
        frame = pd.DataFrame(records, columns=header, dtype="string")
        frame[ROW] = numbers
    absent = tuple(c for c in spec.columns if c not in header)
    for column in absent:
        frame[column] = pd.Series(pd.NA, index=frame.index, dtype="string")
    rows = frame[[*spec.columns, ROW]].reset_index(drop=True)
    rows[ROW] = rows[ROW].astype("int64")
    return Table(rows, pd.DataFrame(malformed, columns=REJECT_COLUMNS), absent)
