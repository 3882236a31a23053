"""Report folders: one dated folder per report, published atomically, and ``latest``.

A report folder ``DIR`` holds::

    DIR/2025-01-03/          a complete report: its tables, report.html and manifest.json
    DIR/latest -> 2025-01-03 the newest complete report (a relative symbolic link)
    DIR/.tmp-.../            a report being written (hidden, never listed)

A report is written into a hidden staging folder inside ``DIR``, every file flushed to
disk, and only then renamed to its date; ``latest`` is replaced by renaming a new link over
it. Renames within one file system are atomic, so a reader (or a crash) sees the old report
or the new one, never half of one. A staging folder left by a killed run is removed by the
next run once its process is gone.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import secrets
import shutil
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from graphvc.errors import ReportError
from graphvc.files import csv_text, fsync_folder, locked

__all__ = [
    "LATEST",
    "MANIFEST",
    "SIGNIFICANT_DIGITS",
    "complete_reports",
    "earlier_reports",
    "list_reports",
    "previous_report",
    "publish",
    "read_manifest",
    "staging_folder",
    "table_files",
    "write_file",
    "write_report_files",
]

MANIFEST = "manifest.json"
LATEST = "latest"
_STAGING = ".tmp-"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
#: Significant digits of every float written: enough for any score, few enough that the
#: last bits of floating-point arithmetic never show.
SIGNIFICANT_DIGITS = 10


def _rounded(values: pd.Series) -> pd.Series:
    """Floats rounded to :data:`SIGNIFICANT_DIGITS` significant digits (NaN and inf kept)."""
    array = values.to_numpy(dtype=float, na_value=np.nan)
    finite = np.isfinite(array) & (array != 0)
    magnitude = np.zeros_like(array)
    magnitude[finite] = np.floor(np.log10(np.abs(array[finite])))
    scale = 10.0 ** (SIGNIFICANT_DIGITS - 1 - magnitude)
    rounded = np.where(finite, np.round(array * scale) / scale, array)
    return pd.Series(rounded, index=values.index, name=values.name)


def _is_bool(value: Any) -> bool:
    return isinstance(value, (bool, np.bool_))


def _plain_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with fixed types: rounded floats, ISO date-time strings, plain strings."""
    plain = frame.reset_index(drop=True).copy()
    for column in plain.columns:
        values = plain[column]
        if pd.api.types.is_bool_dtype(values):
            plain[column] = values.astype("boolean")
        elif pd.api.types.is_datetime64_any_dtype(values):
            plain[column] = values.dt.strftime("%Y-%m-%dT%H:%M:%S").astype("string")
        elif pd.api.types.is_float_dtype(values):
            plain[column] = _rounded(values)
        elif pd.api.types.is_integer_dtype(values):
            plain[column] = values.astype("Int64")
        elif values.dtype == object and values.map(_is_bool).any():
            plain[column] = values.astype("boolean")
        else:
            plain[column] = values.astype("string")
    return plain


def table_files(frame: pd.DataFrame) -> tuple[bytes, bytes]:
    """The CSV and Parquet bytes of a report table, the same bytes for the same table.

    Floats are rounded to :data:`SIGNIFICANT_DIGITS` significant digits in both, date-times
    written as ISO 8601 (``2024-01-05T22:10:00``), missing values as empty CSV cells and
    Parquet nulls; rows stay in the order given.

    Examples
    --------
    >>> frame = pd.DataFrame({"person_id": ["A"], "score": [2 / 3], "at": [pd.Timestamp("2024-01-05")]})
    >>> table_files(frame)[0].decode()
    'person_id,score,at\\nA,0.6666666667,2024-01-05T00:00:00\\n'
    """
    plain = _plain_columns(frame)
    text = csv_text(
        plain, index=False, lineterminator="\n", float_format=f"%.{SIGNIFICANT_DIGITS}g"
    )
    buffer = io.BytesIO()
    pq.write_table(pa.Table.from_pandas(plain, preserve_index=False), buffer)
    return text.encode("utf-8"), buffer.getvalue()


def write_file(path: Path, data: bytes) -> str:
    """Write ``data`` to ``path`` and flush it to disk; return its SHA-256 (hex)."""
    with path.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    return hashlib.sha256(data).hexdigest()


def read_manifest(report: Path) -> dict[str, Any]:
    """The manifest of a report folder (raises :class:`ReportError` when unreadable)."""
    path = report / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ReportError(f"report manifest {path} cannot be read: {e}") from e
    if not isinstance(manifest, dict):
        raise ReportError(f"report manifest {path} is not a JSON object")
    return manifest


def complete_reports(out_dir: Path) -> list[Path]:
    """The complete report folders in ``out_dir``, oldest first.

    A folder is a complete report when it is named as a date (``YYYY-MM-DD``), is not a
    link and holds a manifest (written last, before the folder is renamed into place).
    """
    if not out_dir.is_dir():
        return []
    return sorted(
        path
        for path in out_dir.iterdir()
        if _DATE.fullmatch(path.name)
        and path.is_dir()
        and not path.is_symlink()
        and (path / MANIFEST).is_file()
    )


def earlier_reports(
    out_dir: Path,
    before: str,
    *,
    comparable: Callable[[Mapping[str, Any]], bool] = lambda manifest: True,
) -> Iterator[Path]:
    """The complete reports dated before ``before`` (``YYYY-MM-DD``) whose manifest is
    ``comparable``, newest first."""
    for report in reversed(complete_reports(out_dir)):
        if report.name < before and comparable(read_manifest(report)):
            yield report


def previous_report(
    out_dir: Path,
    before: str,
    *,
    comparable: Callable[[Mapping[str, Any]], bool] = lambda manifest: True,
) -> Path | None:
    """The newest complete report dated before ``before`` (``YYYY-MM-DD``) whose manifest
    is ``comparable``, or ``None``."""
    return next(earlier_reports(out_dir, before, comparable=comparable), None)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove_abandoned(out_dir: Path) -> None:
    """Remove staging folders whose writing process has gone (a run killed part-way)."""
    for path in out_dir.glob(f"{_STAGING}*"):
        pid = path.name[len(_STAGING) :].split("-")[0]
        if not pid.isdigit() or _process_alive(int(pid)):
            continue
        if path.is_symlink():
            path.unlink(missing_ok=True)
        else:
            shutil.rmtree(path, ignore_errors=True)


def _new_folder(out_dir: Path, name: str) -> Path:
    """A new hidden folder named after this process (made with the umask's permissions,
    so a published report is as readable as any other file the user writes)."""
    folder = out_dir / f"{_STAGING}{os.getpid()}-{name}-{secrets.token_hex(4)}"
    folder.mkdir()
    return folder


@contextmanager
def staging_folder(out_dir: Path, name: str) -> Iterator[Path]:
    """A hidden, empty folder in ``out_dir`` to write report ``name`` into.

    It is removed on leaving the block unless :func:`publish` has renamed it into place, so
    a failed run leaves nothing behind.
    """
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        _remove_abandoned(out_dir)
        staged = _new_folder(out_dir, name)
    except OSError as e:
        raise ReportError(f"cannot write reports into {out_dir}: {e}") from e
    try:
        yield staged
    finally:
        shutil.rmtree(staged, ignore_errors=True)


def _restrict(folder: Path) -> None:
    """Reports hold person-level data: readable by the owner and their group only."""
    folder.chmod(0o750)
    for path in folder.rglob("*"):
        path.chmod(0o750 if path.is_dir() else 0o640)


def publish(staged: Path, out_dir: Path, name: str) -> Path:
    """Rename the complete report in ``staged`` to ``out_dir/name`` and point ``latest`` at
    the newest complete report. A report of the same name is replaced.

    Returns the report's folder.
    """
    target = out_dir / name
    try:
        _restrict(staged)
        fsync_folder(staged)
        with locked(out_dir / ".lock"):
            if target.is_symlink() or (target.exists() and not target.is_dir()):
                raise ReportError(f"{target} exists and is not a report folder")
            if target.exists():
                replaced = _new_folder(out_dir, "old")
                target.rename(replaced / name)
                staged.rename(target)
                shutil.rmtree(replaced, ignore_errors=True)
            else:
                staged.rename(target)
            _point_latest(out_dir)
            fsync_folder(out_dir)
    except OSError as e:
        raise ReportError(f"cannot publish report {target}: {e}") from e
    return target


def _point_latest(out_dir: Path) -> None:
    newest = complete_reports(out_dir)[-1]
    latest = out_dir / LATEST
    if latest.exists() and not latest.is_symlink():
        raise ReportError(f"{latest} exists and is not a link: move it away")
    link = out_dir / f"{_STAGING}{os.getpid()}-latest"
    link.unlink(missing_ok=True)
    link.symlink_to(newest.name, target_is_directory=True)
    os.replace(link, latest)


def list_reports(out_dir: str | Path) -> pd.DataFrame:
    """The complete reports in ``out_dir``, newest first, for the app's Reports page.

    Returns
    -------
    pandas.DataFrame
        One row per report: ``as_of`` (the folder's name), ``path``, ``latest`` (whether
        ``latest`` points at it), ``report`` (its kind), ``window_days``, ``top``, ``seed``,
        ``pseudonymised``, ``previous_report``, ``people_listed`` (rows of the offenders
        table) and ``config_hash``. Empty (with these columns) when there is none.
    """
    folder = Path(out_dir)
    latest = folder / LATEST
    pointed = latest.resolve() if latest.is_symlink() else None
    rows = []
    for report in reversed(complete_reports(folder)):
        manifest = read_manifest(report)
        parameters = manifest.get("parameters", {})
        rows.append(
            {
                "as_of": report.name,
                "path": str(report),
                "latest": report.resolve() == pointed,
                "report": manifest.get("report"),
                "window_days": parameters.get("window_days"),
                "top": parameters.get("top"),
                "seed": parameters.get("seed"),
                "pseudonymised": parameters.get("pseudonymised"),
                "previous_report": manifest.get("previous_report"),
                "people_listed": manifest.get("files", {}).get("offenders.csv", {}).get("rows"),
                "config_hash": manifest.get("config_hash"),
            }
        )
    columns = [
        "as_of",
        "path",
        "latest",
        "report",
        "window_days",
        "top",
        "seed",
        "pseudonymised",
        "previous_report",
        "people_listed",
        "config_hash",
    ]
    return pd.DataFrame(rows, columns=columns)


def write_report_files(
    folder: Path,
    tables: Mapping[str, pd.DataFrame],
    page: str,
    about: Mapping[str, Any],
) -> None:
    """Every table (in the order given) as CSV and Parquet, the HTML page, and last the
    manifest ``about`` with every file's rows and SHA-256."""
    files: dict[str, dict[str, Any]] = {}
    for name, frame in tables.items():
        for suffix, data in zip(("csv", "parquet"), table_files(frame), strict=True):
            digest = write_file(folder / f"{name}.{suffix}", data)
            files[f"{name}.{suffix}"] = {"rows": len(frame), "sha256": digest}
    files["report.html"] = {"sha256": write_file(folder / "report.html", page.encode())}
    text = json.dumps({**about, "files": files}, indent=2, sort_keys=True, default=str)
    write_file(folder / MANIFEST, (text + "\n").encode("utf-8"))
