"""The audit trail: who looked up whom, ran what, loaded, reported or exported what, and when.

Every event is one line of JSON appended to ``audit.jsonl`` in the audit folder
(``GRAPHVC_AUDIT_DIR``, default ``GRAPHVC_HOME/audit``): when (UTC), who (the signed-in user,
or the operating-system user for the command line), what (the action and its details), which
person ids, and from where (the host, or the app's client).

The trail is tamper-evident the way trusted logs are (Crosby and Wallach's tamper-evident
logging; signed syslog, RFC 5848), with two things kept outside it, in the trail's
:class:`Seal`:

- a **key**: each event's ``mac`` is the HMAC-SHA-256, under that key, of the MAC of the event
  before it (``prev``) and the event's own canonical JSON. Without the key no one can edit an
  event, forge one, or recompute the chain after an edit: a plain hash anyone can recompute,
  which is why a chain of plain SHA-256 proves nothing on its own;
- the **head**: the sequence number and MAC of the newest event, replaced atomically in the
  same locked step that appends the event. Deleting the newest events leaves a trail shorter
  than its head, which a chain alone cannot show.

:func:`verify` checks both and names the first bad event and what is wrong with it.

Trails written before events were keyed carry a plain SHA-256 ``hash`` instead of a ``mac``.
They are read as they are: :func:`verify` checks their plain chain, allows such legacy events
only before the first keyed event, and counts them; the first keyed event chains from the last
legacy hash, so from then on an edit of a legacy event breaks a MAC too.

Recording fails closed: :func:`record` raises :class:`AuditError` when the event cannot be
written, and callers record before they act, so an action that cannot be audited is not done.

References
----------
.. [1] Crosby, S. A. and Wallach, D. S. (2009). Efficient data structures for tamper-evident
   logging. *18th USENIX Security Symposium*, 317-334.
.. [2] Kelsey, J., Callas, J. and Clemm, A. (2010). Signed syslog messages. RFC 5848.
   https://doi.org/10.17487/RFC5848
"""

from __future__ import annotations

import functools
import getpass
import hashlib
import hmac
import json
import os
import secrets
import socket
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from graphvc.config import Settings
from graphvc.errors import GraphvcError
from graphvc.files import fsync_folder, locked

__all__ = [
    "AUDIT_FILE",
    "GENESIS",
    "HEAD_FILE",
    "KEY_FILE",
    "AuditError",
    "Seal",
    "Verdict",
    "events",
    "record",
    "system_user",
    "verify",
]

AUDIT_FILE = "audit.jsonl"
#: The files of a :class:`Seal`: the key (when ``GRAPHVC_AUDIT_KEY`` is unset) and the head.
KEY_FILE = "key"
HEAD_FILE = "head.json"
#: The ``prev`` of the first event.
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


def _canonical(entry: Mapping[str, Any], without: str) -> str:
    body = {key: value for key, value in entry.items() if key != without}
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _digest(entry: Mapping[str, Any]) -> str:
    """The plain SHA-256 of a legacy event (written before events were keyed)."""
    return hashlib.sha256(_canonical(entry, "hash").encode("utf-8")).hexdigest()


def _mac(key: bytes, entry: Mapping[str, Any]) -> str:
    """The HMAC-SHA-256 of the previous event's MAC and ``entry``'s canonical JSON."""
    message = f"{entry.get('prev')}\n{_canonical(entry, 'mac')}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _genuine(key: bytes, entry: Mapping[str, Any]) -> bool:
    """Whether ``entry``'s ``mac`` is its MAC under ``key`` (compared in constant time)."""
    return hmac.compare_digest(str(entry.get("mac")).encode(), _mac(key, entry).encode())


@dataclass(frozen=True)
class Seal:
    """What a trail is checked against, kept outside the trail's folder: the key and the head.

    ``folder`` holds the head (``head.json``) and, when ``key`` (``GRAPHVC_AUDIT_KEY``) is not
    given, the key file (``key``, made with the first keyed event, mode 0600). Build one with
    :meth:`of`.
    """

    folder: Path
    key: str | None = field(default=None, repr=False)

    @classmethod
    def of(cls, trail: Path, settings: Settings | None = None) -> Seal:
        """The seal of the trail in folder ``trail``: ``GRAPHVC_AUDIT_SEAL_DIR`` when set, else
        the folder beside it named ``<trail folder>-seal`` (``GRAPHVC_HOME/audit-seal`` for the
        default trail), so every process that writes or checks a trail finds the same seal
        from the trail's place alone. ``settings`` default to the environment's.

        Raises :class:`AuditError` when the seal would lie inside the trail's folder.
        """
        settings = Settings.from_env() if settings is None else settings
        trail = trail.absolute()
        folder = (settings.audit_seal_dir or trail.parent / f"{trail.name}-seal").absolute()
        if folder.is_relative_to(trail):
            raise AuditError(
                f"the audit seal {folder} lies inside the trail's folder {trail}: set "
                "GRAPHVC_AUDIT_SEAL_DIR to a folder outside it"
            )
        return cls(folder, settings.audit_key)

    @property
    def key_file(self) -> Path:
        return self.folder / KEY_FILE

    @property
    def head_file(self) -> Path:
        return self.folder / HEAD_FILE

    def read_key(self, *, create: bool = False) -> bytes:
        """The key: ``GRAPHVC_AUDIT_KEY``, else the key file's, made first when ``create``.

        Raises :class:`AuditError` when there is none (a trail's events were keyed with a key
        that is gone: making a new one would only hide that).
        """
        if self.key is not None:
            return self.key.encode()
        if create and not self.key_file.exists():
            self._make_key()
        try:
            text = self.key_file.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            raise AuditError(
                f"no audit key: GRAPHVC_AUDIT_KEY is unset and {self.key_file} is missing"
            ) from None
        if not text:
            raise AuditError(f"the audit key file {self.key_file} is empty")
        return text.encode()

    def _make_key(self) -> None:
        # Written whole under another name, then linked into place: a reader never sees a
        # partial key, and a key that is already there is never replaced.
        staged = self._staged(secrets.token_hex(32) + "\n")  # mode 0600
        try:
            os.link(staged, self.key_file)
        except FileExistsError:
            pass
        finally:
            staged.unlink()
        fsync_folder(self.folder)

    def _staged(self, text: str) -> Path:
        """A new file in the seal (made 0700 when missing) holding ``text``, fsynced."""
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor, name = tempfile.mkstemp(dir=self.folder, prefix=".staged-")
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        return Path(name)

    def read_head(self) -> tuple[int, str] | None:
        """The witnessed (sequence, MAC) of the newest event, or None before the first."""
        try:
            head = json.loads(self.head_file.read_bytes())
            return int(head["seq"]), str(head["mac"])
        except FileNotFoundError:
            return None
        except (ValueError, KeyError, TypeError) as e:
            raise AuditError(f"the audit head {self.head_file} is unreadable ({e})") from None

    def write_head(self, seq: int, mac: str, trail_file: Path) -> None:
        """Witness event ``seq`` as the newest: a new head file fsynced, then renamed over the
        old one, so the head is always one whole head or the other."""
        head = {"seq": seq, "mac": mac, "trail": str(trail_file)}
        staged = self._staged(json.dumps(head, sort_keys=True, ensure_ascii=False) + "\n")
        os.replace(staged, self.head_file)
        fsync_folder(self.folder)


def _last(path: Path) -> dict[str, Any] | None:
    """The newest event, or None for an empty trail.

    Raises :class:`ValueError` when the newest line is not an event (a line cut short by a
    crash).
    """
    if not path.exists() or path.stat().st_size == 0:
        return None
    with path.open("rb") as handle:
        end, back = handle.seek(0, os.SEEK_END), 65536
        while True:  # Back far enough to hold the whole newest line, however long.
            start = handle.seek(max(0, end - back))
            lines = handle.read().rstrip(b"\n").rsplit(b"\n", 1)
            if len(lines) == 2 or start == 0:
                break
            back *= 4
    entry = json.loads(lines[-1])
    if not isinstance(entry, dict):
        raise ValueError(f"the newest line of {path} is not an audit event")
    return entry


def _chain_point(path: Path, seal: Seal) -> tuple[int, str, bytes]:
    """The sequence number and MAC the next event follows, and the key: the witnessed head's.

    The head, not the file's last line, says where the chain is, so an event recorded after
    the trail was cut short or added to leaves a gap or a fork for :func:`verify` to find
    instead of covering it up. Two cases follow the file: a trail without a head yet (a new
    one, or one written before events were keyed), and a last event one past the head with a
    good MAC (a crash between appending an event and witnessing it).
    """
    head = seal.read_head()
    try:
        tail = _last(path)
    except ValueError:
        if head is None:
            raise
        tail = None
    if head is None:
        if tail is not None and "mac" in tail:
            raise AuditError(
                f"the trail has keyed events but its head {seal.head_file} is missing: check "
                "it with `graphvc audit verify`"
            )
        key = seal.read_key(create=True)
        return (0, GENESIS, key) if tail is None else (int(tail["seq"]), str(tail["hash"]), key)
    key = seal.read_key()
    if tail is not None and "mac" in tail:
        genuine = _genuine(key, tail)
        if (tail.get("seq"), tail["mac"]) == head and not genuine:
            raise AuditError(
                "the audit key does not verify the newest event, which the head witnesses: "
                "was GRAPHVC_AUDIT_KEY changed?"
            )
        if genuine and tail.get("seq") == head[0] + 1 and tail.get("prev") == head[1]:
            return int(tail["seq"]), str(tail["mac"]), key
    return head[0], head[1], key


def _append(path: Path, entry: Mapping[str, Any]) -> None:
    data = (json.dumps(entry, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
    with path.open("a+b") as handle:
        end = handle.seek(0, os.SEEK_END)
        if end:
            handle.seek(end - 1)
            if handle.read(1) != b"\n":  # a line cut short by a crash stays a line of its own
                data = b"\n" + data
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def record(
    folder: Path,
    action: str,
    *,
    user: str | None = None,
    what: Mapping[str, Any] | None = None,
    person_ids: Iterable[str] = (),
    source: str | None = None,
    at: datetime | None = None,
    seal: Seal | None = None,
) -> dict[str, Any]:
    """Append one event to the trail in ``folder`` (created when missing), witness it as the
    head, and return it.

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
    seal : Seal, optional
        The key and head (default: ``Seal.of(folder)``, from the environment's settings).

    Raises
    ------
    AuditError
        The event cannot be written (the folder is read-only, the disk full, the trail
        unreadable, its key or head gone): the caller must not go on with the action.
    """
    path = folder / AUDIT_FILE
    try:
        seal = seal or Seal.of(folder)
        folder.mkdir(parents=True, exist_ok=True)
        # One lock for the whole step, so concurrent writers (the app's sessions, commands)
        # append one at a time and the head always names the event appended last.
        with locked(folder / ".audit.lock"):
            seq, previous, key = _chain_point(path, seal)
            event = {
                "seq": seq + 1,
                "at": (at or datetime.now(UTC)).isoformat(timespec="microseconds"),
                "user": user or system_user(),
                "action": action,
                "what": dict(what or {}),
                "person_ids": sorted({str(p) for p in person_ids}),
                "source": source or socket.gethostname(),
                "prev": previous,
            }
            # The MAC covers exactly what verify will read back from the line.
            entry: dict[str, Any] = json.loads(json.dumps(event, default=str))
            entry["mac"] = _mac(key, entry)
            _append(path, entry)
            seal.write_head(entry["seq"], entry["mac"], path.absolute())
    except (OSError, ValueError, KeyError, TypeError, AuditError) as e:
        raise AuditError(
            f"cannot write the audit trail in {folder} ({e}): {action!r} was not done"
        ) from None
    return entry


@dataclass(frozen=True)
class Verdict:
    """What :func:`verify` found: ``ok``, the lines read, the first bad line (1-based) and
    why, the newest event's MAC (or hash), and how many legacy (unkeyed) events open it."""

    ok: bool
    lines: int
    broken_line: int | None = None
    reason: str = ""
    head: str = GENESIS
    legacy: int = 0


def _fault(entry: Any, number: int, previous: str, keyed: bool, key: Callable[[], bytes]) -> str:
    """Why event line ``number`` does not follow the event whose MAC (or hash) is
    ``previous``; empty when it does. ``keyed``: a keyed event came before it."""
    if not isinstance(entry, dict) or not {"mac", "hash"} & entry.keys():
        return "not an audit event"
    if "mac" in entry:
        if not _genuine(key(), entry):
            return (
                "MAC does not match: the event was edited or forged, or the key is not the "
                "one it was written with"
            )
    elif keyed:
        return "an unkeyed event after keyed ones (a plain hash, no MAC): forged"
    elif entry["hash"] != _digest(entry):
        return "edited: its hash does not match"
    if entry.get("prev") != previous:
        return "a line before it was removed, edited or moved: its prev does not match"
    seq = entry.get("seq")
    if seq != number:
        if isinstance(seq, int) and seq > number:
            return f"sequence gap: event {seq} follows event {number - 1}"
        return f"sequence {seq!r} where event {number} belongs"
    return ""


def _against_head(
    seal: Seal, head: tuple[int, str] | None, lines: int, keyed: bool, at_head: str | None
) -> tuple[int, str] | None:
    """Where and why an intact chain of ``lines`` events disagrees with the witnessed
    ``head`` (``at_head``: the MAC of the event at the head's sequence number), or None."""
    if head is None:
        if keyed:
            return lines, (
                f"no head witnesses the trail: {seal.head_file} is missing (deleted, or "
                "GRAPHVC_AUDIT_SEAL_DIR points elsewhere)"
            )
        return None
    seq, mac = head
    if lines < seq:
        return lines + 1, (
            f"the trail ends at event {lines} but the head ({seal.head_file}) says {seq}: truncated"
        )
    if at_head != mac:
        return seq, f"event {seq} is not the one the head witnessed: rewritten"
    return None


def verify(folder: Path, seal: Seal | None = None) -> Verdict:
    """Check the whole trail in ``folder`` against its seal (default ``Seal.of(folder)``):
    every event's MAC (a legacy event's hash), its link to the event before, the sequence
    numbers, and that the trail reaches the head witnessed outside it with the same MAC.
    A missing trail without a head is an empty, intact one.

    Events past the head are accepted when their MACs hold (an event written between the
    head's reading and the trail's, or a crash between appending an event and witnessing it).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     seal = Seal(Path(folder) / "seal", key="a key of 32 or more characters ....")
    ...     trail = Path(folder) / "audit"
    ...     _ = record(trail, "query.run", user="analyst1", source="test", seal=seal)
    ...     _ = record(trail, "load", user="analyst1", source="test", seal=seal)
    ...     verify(trail, seal).ok, verify(trail, Seal(seal.folder, key="another key")).ok
    (True, False)
    """
    seal = seal or Seal.of(folder)
    head = seal.read_head()  # first: every event it names was in the file before it was
    key = functools.cache(seal.read_key)
    previous, number, legacy, keyed, at_head = GENESIS, 0, 0, False, None
    for number, line in enumerate(_lines(folder / AUDIT_FILE), start=1):
        try:
            entry = json.loads(line)
            fault = _fault(entry, number, previous, keyed, key)
        except json.JSONDecodeError:
            fault = "not a JSON line"
        except AuditError as e:
            fault = str(e)
        if fault:
            return Verdict(False, number, number, fault, previous, legacy)
        keyed = "mac" in entry
        legacy += 0 if keyed else 1
        previous = str(entry["mac"] if keyed else entry["hash"])
        if head is not None and number == head[0]:
            at_head = previous
    broken = _against_head(seal, head, number, keyed, at_head)
    if broken is not None:
        return Verdict(False, number, broken[0], broken[1], previous, legacy)
    return Verdict(True, number, head=previous, legacy=legacy)


def _lines(path: Path) -> Iterator[bytes]:
    """The trail's lines (none when it is missing), split on ``\\n`` alone: a person id or a
    folder may hold U+2028, U+0085 or another character :meth:`str.splitlines` splits on."""
    if not path.exists():
        return
    with path.open("rb") as handle:
        yield from handle


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
        rows = [json.loads(line) for line in _lines(path)]
    except (OSError, ValueError) as e:
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
