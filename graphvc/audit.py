"""The audit trail: who looked up whom, ran what, loaded, reported or exported what, and when.

Every event is one line of JSON appended to ``audit.jsonl`` in the audit folder
(``GRAPHVC_AUDIT_DIR``, default ``GRAPHVC_HOME/audit``): when (UTC), who (the signed-in user,
or the operating-system user for the command line), what (the action and its details), which
person ids, and from where (the host, or the app's client). Each line carries the SHA-256 of
the line before it (``prev``) and of itself (``hash``), so :func:`verify` finds any edit,
deletion or reordering: an edited line no longer matches its own hash, or, recomputed, no
longer matches the next line's ``prev``. Only an edit of the newest line with its hash
recomputed is invisible from the file alone; :func:`verify` prints the head hash so that it
can be kept elsewhere (in a ticket, a log server) as an anchor.

Recording fails closed: :func:`record` raises :class:`AuditError` when the event cannot be
written, and callers record before they act, so an action that cannot be audited is not done.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import socket
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from graphvc.errors import GraphvcError
from graphvc.files import locked

__all__ = [
    "AUDIT_FILE",
    "GENESIS",
    "AuditError",
    "Verdict",
    "events",
    "record",
    "system_user",
    "verify",
]

AUDIT_FILE = "audit.jsonl"
#: The ``prev`` of the first line.
GENESIS = "0" * 64
COLUMNS = ["seq", "at", "user", "action", "what", "person_ids", "source"]


class AuditError(GraphvcError):
    """The audit trail cannot be written or read: the action it would record is not done."""


def system_user() -> str:
    """Who runs the command line: the operating-system user."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return f"uid:{os.getuid()}"


def _digest(entry: Mapping[str, Any]) -> str:
    body = {key: value for key, value in entry.items() if key != "hash"}
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _last(path: Path) -> tuple[int, str]:
    """The sequence number and hash of the newest line (0 and :data:`GENESIS` for none)."""
    if not path.exists() or path.stat().st_size == 0:
        return 0, GENESIS
    with path.open("rb") as handle:
        end, back = handle.seek(0, os.SEEK_END), 65536
        while True:  # Back far enough to hold the whole newest line, however long.
            start = handle.seek(max(0, end - back))
            lines = handle.read().rstrip(b"\n").rsplit(b"\n", 1)
            if len(lines) == 2 or start == 0:
                break
            back *= 4
    entry = json.loads(lines[-1])
    return int(entry["seq"]), str(entry["hash"])


def record(
    folder: Path,
    action: str,
    *,
    user: str | None = None,
    what: Mapping[str, Any] | None = None,
    person_ids: Iterable[str] = (),
    source: str | None = None,
    at: datetime | None = None,
) -> dict[str, Any]:
    """Append one event to the trail in ``folder`` (created when missing) and return it.

    Parameters
    ----------
    folder : Path
        The audit folder.
    action : str
        What happened, e.g. ``"query.run"``, ``"load"``, ``"report.write"``,
        ``"person.lookup"``, ``"export"``.
    user : str, optional
        Who did it (default: :func:`system_user`).
    what : mapping, optional
        The details: a query's name or file hash and parameters, a folder, a file.
    person_ids : iterable of str
        The people looked at or listed.
    source : str, optional
        From where (default: this host's name).

    Raises
    ------
    AuditError
        The event cannot be written (the folder is read-only, the disk full, the trail
        unreadable): the caller must not go on with the action.
    """
    path = folder / AUDIT_FILE
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with locked(folder / ".audit.lock"):
            seq, previous = _last(path)
            entry: dict[str, Any] = {
                "seq": seq + 1,
                "at": (at or datetime.now(UTC)).isoformat(timespec="microseconds"),
                "user": user or system_user(),
                "action": action,
                "what": dict(what or {}),
                "person_ids": sorted({str(p) for p in person_ids}),
                "source": source or socket.gethostname(),
                "prev": previous,
            }
            entry["hash"] = _digest(entry)
            line = json.dumps(entry, sort_keys=True, ensure_ascii=False, default=str) + "\n"
            with path.open("a", encoding="utf-8") as handle:
                handle.write(line)
                handle.flush()
                os.fsync(handle.fileno())
    except (OSError, ValueError, KeyError) as e:
        raise AuditError(
            f"cannot write the audit trail in {folder} ({e}): {action!r} was not done"
        ) from None
    return entry


@dataclass(frozen=True)
class Verdict:
    """What :func:`verify` found: ``ok``, the lines read, the first broken line (1-based)
    and why, and the newest line's hash (an anchor to keep elsewhere)."""

    ok: bool
    lines: int
    broken_line: int | None = None
    reason: str = ""
    head: str = GENESIS


def verify(folder: Path) -> Verdict:
    """Check the whole trail in ``folder``: every line's own hash, its link to the line
    before, and the sequence numbers. A missing trail is an empty, intact one.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     _ = record(Path(folder), "query.run", user="analyst1", source="test")
    ...     _ = record(Path(folder), "load", user="analyst1", source="test")
    ...     verify(Path(folder)).ok
    True
    """
    path = folder / AUDIT_FILE
    if not path.exists():
        return Verdict(ok=True, lines=0)
    previous, number = GENESIS, 0
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                return Verdict(False, number, number, "not a JSON line", previous)
            if not isinstance(entry, dict) or "hash" not in entry:
                return Verdict(False, number, number, "not an audit event", previous)
            if entry["hash"] != _digest(entry):
                return Verdict(False, number, number, "edited: its hash does not match", previous)
            if entry.get("prev") != previous:
                return Verdict(
                    False,
                    number,
                    number,
                    "a line before it was removed, edited or moved: its prev does not match",
                    previous,
                )
            if entry.get("seq") != number:
                return Verdict(False, number, number, f"sequence {entry.get('seq')!r}", previous)
            previous = str(entry["hash"])
    return Verdict(ok=True, lines=number, head=previous)


def events(
    folder: Path,
    *,
    person: str | None = None,
    user: str | None = None,
    since: datetime | None = None,
) -> pd.DataFrame:
    """The events of the trail, oldest first, optionally only those naming ``person``, by
    ``user`` or at or after ``since`` (an aware date-time); columns :data:`COLUMNS`.

    Raises :class:`AuditError` when the trail cannot be read.
    """
    path = folder / AUDIT_FILE
    if not path.exists():
        return pd.DataFrame(columns=COLUMNS)
    try:
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    except (OSError, json.JSONDecodeError) as e:
        raise AuditError(f"cannot read the audit trail {path}: {e}") from None
    frame = pd.DataFrame(rows, columns=COLUMNS)
    keep = pd.Series(True, index=frame.index)
    if person is not None:
        keep &= frame["person_ids"].map(lambda ids: person in ids)
    if user is not None:
        keep &= frame["user"] == user
    if since is not None:
        keep &= pd.to_datetime(frame["at"], utc=True) >= pd.Timestamp(since)
    return frame[keep].reset_index(drop=True)
