"""What every file graphvc writes shares: a lock that serialises writers, an fsync of a folder
so a rename survives a crash, and CSV that a spreadsheet cannot be tricked into running."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["FORMULA_STARTS", "csv_text", "fsync_folder", "locked"]


def fsync_folder(folder: Path) -> None:
    """Flush ``folder``'s entries to disk, so a file renamed into it stays renamed."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@contextmanager
def locked(lock_file: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``lock_file`` (created when missing) while the block runs."""
    with lock_file.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


#: What a spreadsheet reads as the start of a formula (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(frame: pd.DataFrame, **options: Any) -> str:
    """``frame`` as CSV text that a spreadsheet opens without running anything: every text
    cell that starts like a formula (:data:`FORMULA_STARTS`) gets a leading ``'``, as OWASP
    advises; numbers, dates and other cells are left as they are. ``options`` go to
    :meth:`pandas.DataFrame.to_csv`.

    Examples
    --------
    >>> frame = pd.DataFrame({"value": ["=HYPERLINK(\\"x\\")", "-5", "P1", None], "n": [-1, 2, 3, 4]})
    >>> print(csv_text(frame, index=False), end="")
    value,n
    "'=HYPERLINK(""x"")",-1
    '-5,2
    P1,3
    ,4
    """
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            values = safe[column]
            risky = values.map(lambda v: isinstance(v, str) and v.startswith(FORMULA_STARTS))
            safe[column] = values.where(~risky.astype(bool), "'" + values.astype("string"))
    return str(safe.to_csv(**options))
