"""The audit trail: appended, chained under a key, its head witnessed outside it, verified;
tampering found at its first bad event; read back whole whatever its ids hold.

The tampering cases of issue 32 (the newest event deleted, a truncated tail, a forged event, a
recomputed chain, another key) write the trail's lines as someone with write access to the
trail, but not the key, would: they run on any version of graphvc's trail (its chain field is
``mac`` now and was ``hash`` before), and before the trail was keyed every one of them passed
``verify``.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
import threading
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphvc import audit
from graphvc.cli import cli
from graphvc.config import Settings
from graphvc.errors import ConfigError

KEY = "k" * 32


@pytest.fixture(autouse=True)
def _seal_from_the_trails_place(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test's seal is the one beside its trail, keyed by a key file, whatever the
    environment running the tests says."""
    monkeypatch.delenv("GRAPHVC_AUDIT_KEY", raising=False)
    monkeypatch.delenv("GRAPHVC_AUDIT_SEAL_DIR", raising=False)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "audit"


def _trail(folder: Path, n: int = 5) -> list[str]:
    for i in range(n):
        audit.record(
            folder,
            "person.lookup",
            user=f"analyst{i % 2}",
            person_ids=[f"P{i}"],
            source="test",
            at=datetime(2026, 1, 1 + i, tzinfo=UTC),
        )
    return _lines(folder)


def _lines(folder: Path) -> list[str]:
    text = (folder / audit.AUDIT_FILE).read_text(encoding="utf-8")
    return [line + "\n" for line in text.split("\n")[:-1]]


def _rewrite(folder: Path, lines: list[str]) -> None:
    (folder / audit.AUDIT_FILE).write_text("".join(lines), encoding="utf-8")


def test_events_are_chained_and_the_trail_verifies(tmp_path: Path) -> None:
    lines = _trail(tmp_path)
    entries = [json.loads(line) for line in lines]
    assert [e["seq"] for e in entries] == [1, 2, 3, 4, 5]
    assert entries[0]["prev"] == audit.GENESIS
    assert all(b["prev"] == a["mac"] for a, b in pairwise(entries))
    verdict = audit.verify(tmp_path)
    assert (verdict.ok, verdict.lines, verdict.head) == (True, 5, entries[-1]["mac"])
    assert verdict.legacy == 0


def test_an_event_longer_than_the_tail_read_chains_the_next(tmp_path: Path) -> None:
    # A report listing thousands of people writes one line of hundreds of kilobytes.
    many = [f"P{i:07d}" for i in range(30_000)]
    first = audit.record(tmp_path, "report.view", person_ids=many, source="test")
    second = audit.record(tmp_path, "person.lookup", person_ids=["P1"], source="test")
    assert (second["seq"], second["prev"]) == (2, first["mac"])
    assert audit.verify(tmp_path).ok


def test_an_edited_line_is_found(tmp_path: Path) -> None:
    lines = _trail(tmp_path)
    lines[2] = lines[2].replace('"P2"', '"P9"')
    _rewrite(tmp_path, lines)
    verdict = audit.verify(tmp_path)
    assert (verdict.ok, verdict.broken_line) == (False, 3)
    assert "edited" in verdict.reason


def test_an_edit_with_its_mac_recomputed_breaks_the_next_link(tmp_path: Path) -> None:
    # Even with the key, an edited event's new MAC is not the prev the next event holds.
    lines = _trail(tmp_path)
    entry = json.loads(lines[1])
    entry["person_ids"] = ["P9"]
    entry["mac"] = audit._mac(audit.Seal.of(tmp_path).read_key(), entry)
    lines[1] = json.dumps(entry, sort_keys=True) + "\n"
    _rewrite(tmp_path, lines)
    assert (audit.verify(tmp_path).broken_line, audit.verify(tmp_path).ok) == (3, False)


def test_a_deleted_line_is_found(tmp_path: Path) -> None:
    lines = _trail(tmp_path)
    _rewrite(tmp_path, lines[:1] + lines[2:])
    verdict = audit.verify(tmp_path)
    assert (verdict.ok, verdict.broken_line) == (False, 2)
    assert "prev does not match" in verdict.reason


def test_two_swapped_lines_are_found(tmp_path: Path) -> None:
    lines = _trail(tmp_path)
    lines[1], lines[2] = lines[2], lines[1]
    _rewrite(tmp_path, lines)
    assert (audit.verify(tmp_path).ok, audit.verify(tmp_path).broken_line) == (False, 2)


def test_an_event_that_cannot_be_written_fails_closed(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the audit folder should be")
    with pytest.raises(audit.AuditError, match=r"'query.run' was not done"):
        audit.record(blocked, "query.run")


def test_events_filter_by_person_user_and_date(tmp_path: Path) -> None:
    _trail(tmp_path)
    assert audit.events(tmp_path, person="P3")["seq"].tolist() == [4]
    assert audit.events(tmp_path, user="analyst0")["seq"].tolist() == [1, 3, 5]
    since = datetime(2026, 1, 4, tzinfo=UTC)
    assert audit.events(tmp_path, since=since)["seq"].tolist() == [4, 5]


def test_the_cli_shows_and_verifies_and_exits_1_on_tampering(tmp_path: Path) -> None:
    lines = _trail(tmp_path)
    env = {"GRAPHVC_AUDIT_DIR": str(tmp_path)}
    shown = CliRunner().invoke(cli, ["audit", "show", "--person", "P1", "--json"], env=env)
    assert [json.loads(line)["seq"] for line in shown.stdout.splitlines()] == [2]
    ok = CliRunner().invoke(cli, ["audit", "verify"], env=env)
    assert ok.exit_code == 0 and "5 events intact" in ok.stdout
    _rewrite(tmp_path, lines[:3] + lines[4:])
    broken = CliRunner().invoke(cli, ["audit", "verify"], env=env)
    assert broken.exit_code == 1
    assert broken.stderr.strip().splitlines() == [
        f"Error: {tmp_path / audit.AUDIT_FILE} line 4: a line before it was removed, edited "
        "or moved: its prev does not match"
    ]
    _rewrite(tmp_path, lines[:3])
    truncated = CliRunner().invoke(cli, ["audit", "verify"], env=env)
    assert truncated.exit_code == 1
    head = audit.Seal.of(tmp_path).head_file
    assert truncated.stderr.strip().splitlines() == [
        f"Error: {tmp_path / audit.AUDIT_FILE} line 4: the trail ends at event 3 but the head "
        f"({head}) says 5: truncated"
    ]


#: Characters str.splitlines() breaks a line on that JSON leaves as they are.
UNICODE_BREAKS = ["\u2028", "\u2029", "\u0085", "\x1c", "\x1d", "\x1e"]


@pytest.mark.parametrize("breaker", UNICODE_BREAKS, ids=ascii)
def test_ids_and_folders_holding_unicode_line_breaks_round_trip(
    tmp_path: Path, breaker: str
) -> None:
    person, folder = f"P{breaker}1", f"/data/week{breaker}12"
    audit.record(tmp_path, "load", what={"folder": folder}, source="test")
    audit.record(tmp_path, "person.lookup", person_ids=[person, "P2"], source="test")
    found = audit.events(tmp_path)
    assert found["what"].tolist()[0] == {"folder": folder}
    assert found["person_ids"].tolist()[1] == sorted([person, "P2"])
    assert audit.events(tmp_path, person=person)["seq"].tolist() == [2]
    assert audit.verify(tmp_path).ok
    env = {"GRAPHVC_AUDIT_DIR": str(tmp_path)}
    shown = CliRunner().invoke(cli, ["audit", "show", "--json"], env=env)
    assert shown.exit_code == 0, shown.output
    rows = [json.loads(line) for line in shown.stdout.split("\n") if line]
    assert [row["what"] for row in rows] == [{"folder": folder}, {}]
    assert rows[1]["person_ids"] == sorted([person, "P2"])
    listed = CliRunner().invoke(cli, ["audit", "show", "--person", person], env=env)
    assert listed.exit_code == 0 and f"people: {', '.join(sorted([person, 'P2']))}" in listed.stdout


def _link(entry: dict[str, object]) -> str:
    """The field that chains the trail: ``mac`` (``hash`` in a trail from before keys)."""
    return "mac" if "mac" in entry else "hash"


def _plain_hash(entry: dict[str, object], field: str) -> str:
    """What anyone can compute without a key: the SHA-256 of the event's canonical JSON."""
    body = {k: v for k, v in entry.items() if k != field}
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _line(entry: dict[str, object]) -> str:
    return json.dumps(entry, sort_keys=True, ensure_ascii=False) + "\n"


# --- What someone without the key can do to the trail, and verify finds --------------------


def test_an_untouched_trail_verifies(folder: Path) -> None:
    _trail(folder)
    verdict = audit.verify(folder)
    assert (verdict.ok, verdict.lines, verdict.broken_line, verdict.reason) == (True, 5, None, "")


def test_the_newest_event_deleted_is_found(folder: Path) -> None:
    lines = _trail(folder)
    _rewrite(folder, lines[:-1])
    verdict = audit.verify(folder)
    assert (verdict.ok, verdict.broken_line) == (False, 5)
    assert "the trail ends at event 4 but the head" in verdict.reason
    assert verdict.reason.endswith("says 5: truncated")


def test_a_truncated_tail_is_found(folder: Path) -> None:
    lines = _trail(folder)
    _rewrite(folder, lines[:-3])
    verdict = audit.verify(folder)
    assert (verdict.ok, verdict.broken_line) == (False, 3)
    assert "ends at event 2" in verdict.reason and "says 5: truncated" in verdict.reason


def test_the_whole_trail_deleted_is_found(folder: Path) -> None:
    _trail(folder)
    (folder / audit.AUDIT_FILE).unlink()
    verdict = audit.verify(folder)
    assert (verdict.ok, verdict.broken_line) == (False, 1)
    assert "ends at event 0" in verdict.reason


@pytest.mark.parametrize("field", ["the trail's", "hash"])
def test_an_appended_forged_event_with_its_hash_computed_is_found(folder: Path, field: str) -> None:
    lines = _trail(folder)
    last = json.loads(lines[-1])
    chain = _link(last) if field == "the trail's" else field
    forged = {k: v for k, v in last.items() if k not in ("mac", "hash")}
    forged |= {"seq": 6, "prev": last[_link(last)], "person_ids": ["P9"], "user": "nobody"}
    forged[chain] = _plain_hash(forged, chain)
    _rewrite(folder, [*lines, _line(forged)])
    verdict = audit.verify(folder)
    assert (verdict.ok, verdict.broken_line) == (False, 6)
    expected = "MAC does not match" if chain == "mac" else "an unkeyed event after keyed ones"
    assert verdict.reason.startswith(expected)


@pytest.mark.parametrize(("start", "first_bad_line"), [(0, 1), (2, 3)])
def test_a_middle_edit_with_the_chain_recomputed_is_found(
    folder: Path, start: int, first_bad_line: int
) -> None:
    """Line 3 edited and every link recomputed from line ``start + 1`` on, as the old plain
    chain allowed: the first recomputed line's MAC is the first that does not match."""
    entries = [json.loads(line) for line in _trail(folder)]
    entries[2]["person_ids"] = ["P9"]
    previous = entries[start - 1][_link(entries[start - 1])] if start else "0" * 64
    for entry in entries[start:]:
        field = _link(entry)
        entry["prev"] = previous
        entry[field] = previous = _plain_hash(entry, field)
    _rewrite(folder, [_line(entry) for entry in entries])
    verdict = audit.verify(folder)
    assert (verdict.ok, verdict.broken_line) == (False, first_bad_line)
    assert verdict.reason.startswith("MAC does not match")


def test_another_key_is_found(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRAPHVC_AUDIT_KEY", KEY)
    _trail(folder)
    monkeypatch.setenv("GRAPHVC_AUDIT_KEY", "q" * 32)
    verdict = audit.verify(folder)
    assert (verdict.ok, verdict.broken_line) == (False, 1)
    assert "the key is not the one it was written with" in verdict.reason


def test_an_event_recorded_after_a_truncation_does_not_cover_it_up(folder: Path) -> None:
    lines = _trail(folder)
    _rewrite(folder, lines[:3])
    audit.record(folder, "query.run", source="test")
    verdict = audit.verify(folder)
    assert (verdict.ok, verdict.broken_line) == (False, 4)
    assert "its prev does not match" in verdict.reason


# --- What the seal holds, and what it finds with the key in hand ---------------------------


def test_the_key_and_head_are_kept_beside_the_trail_not_in_it(folder: Path) -> None:
    entries = [json.loads(line) for line in _trail(folder)]
    seal = audit.Seal.of(folder)
    assert seal.folder == folder.parent / "audit-seal"
    assert sorted(p.name for p in folder.iterdir()) == [".audit.lock", audit.AUDIT_FILE]
    assert stat.S_IMODE(seal.key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(seal.folder.stat().st_mode) & 0o077 == 0
    assert len(seal.key_file.read_text().strip()) == 64
    head = json.loads(seal.head_file.read_text())
    assert head == {
        "seq": 5,
        "mac": entries[-1]["mac"],
        "trail": str(folder.absolute() / audit.AUDIT_FILE),
    }


def test_a_key_from_the_environment_makes_no_key_file(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GRAPHVC_AUDIT_KEY", KEY)
    _trail(folder, 2)
    seal = audit.Seal.of(folder)
    assert seal.head_file.exists() and not seal.key_file.exists()
    assert audit.verify(folder).ok
    monkeypatch.delenv("GRAPHVC_AUDIT_KEY")
    with pytest.raises(audit.AuditError, match="no audit key: GRAPHVC_AUDIT_KEY is unset"):
        audit.record(folder, "query.run")  # a new key would only hide the old one's loss
    assert audit.verify(folder).reason.startswith("no audit key")


def test_the_newest_event_rewritten_with_the_key_is_found_by_its_head(folder: Path) -> None:
    lines = _trail(folder)
    newest = json.loads(lines[-1])
    newest["person_ids"] = ["P9"]
    newest["mac"] = audit._mac(audit.Seal.of(folder).read_key(), newest)
    _rewrite(folder, [*lines[:-1], _line(newest)])
    verdict = audit.verify(folder)
    assert (verdict.ok, verdict.broken_line) == (False, 5)
    assert verdict.reason == "event 5 is not the one the head witnessed: rewritten"


def test_a_deleted_head_is_found_and_stops_recording(folder: Path) -> None:
    _trail(folder)
    audit.Seal.of(folder).head_file.unlink()
    verdict = audit.verify(folder)
    assert (verdict.ok, verdict.broken_line) == (False, 5)
    assert verdict.reason.startswith("no head witnesses the trail")
    with pytest.raises(audit.AuditError, match=r"its head .* is missing.*'load' was not done"):
        audit.record(folder, "load")


def test_a_changed_key_stops_recording(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _trail(folder, 2)
    monkeypatch.setenv("GRAPHVC_AUDIT_KEY", KEY)
    with pytest.raises(audit.AuditError, match="was GRAPHVC_AUDIT_KEY changed"):
        audit.record(folder, "load")


def test_a_seal_inside_the_trails_folder_is_refused(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GRAPHVC_AUDIT_SEAL_DIR", str(folder / "seal"))
    with pytest.raises(audit.AuditError, match="lies inside the trail's folder"):
        audit.record(folder, "load")


def test_the_seal_may_be_kept_elsewhere(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GRAPHVC_AUDIT_SEAL_DIR", str(tmp_path / "vault"))
    _trail(folder, 2)
    assert sorted(p.name for p in (tmp_path / "vault").iterdir()) == ["head.json", "key"]
    assert not (tmp_path / "audit-seal").exists()
    assert audit.verify(folder).ok


def test_a_short_key_is_refused_without_showing_it() -> None:
    with pytest.raises(ConfigError, match="GRAPHVC_AUDIT_KEY is shorter than 32 char") as refused:
        Settings.from_env({"GRAPHVC_AUDIT_KEY": "tooshort"})
    assert "tooshort" not in str(refused.value)
    assert "tooshort" not in repr(Settings(audit_key="tooshort"))


def test_a_crash_between_the_event_and_its_head_is_not_tampering(folder: Path) -> None:
    _trail(folder, 3)
    seal = audit.Seal.of(folder)
    head_before = seal.head_file.read_bytes()
    audit.record(folder, "load", source="test")
    seal.head_file.write_bytes(head_before)  # as if the process died before witnessing it
    assert audit.verify(folder).ok
    fifth = audit.record(folder, "load", source="test")
    assert fifth["seq"] == 5 and audit.verify(folder).ok


def test_a_line_cut_short_by_a_crash_stays_a_line_of_its_own(folder: Path) -> None:
    _trail(folder, 3)
    with (folder / audit.AUDIT_FILE).open("a", encoding="utf-8") as handle:
        handle.write('{"seq": 4, "act')
    fourth = audit.record(folder, "load", source="test")
    assert fourth["seq"] == 4
    assert json.loads(_lines(folder)[-1]) == fourth
    assert (audit.verify(folder).broken_line, audit.verify(folder).reason) == (4, "not a JSON line")


# --- Trails written before events were keyed -----------------------------------------------


def _legacy_trail(folder: Path, n: int) -> list[dict[str, object]]:
    """A trail as graphvc wrote it before events were keyed: a plain SHA-256 chain."""
    entries, previous = [], "0" * 64
    for i in range(1, n + 1):
        entry: dict[str, object] = {
            "seq": i,
            "at": f"2025-01-0{i}T00:00:00.000000+00:00",
            "user": "analyst1",
            "action": "person.lookup",
            "what": {},
            "person_ids": [f"P{i}"],
            "source": "test",
            "prev": previous,
        }
        entry["hash"] = previous = _plain_hash(entry, "hash")
        entries.append(entry)
    folder.mkdir(parents=True, exist_ok=True)
    _rewrite(folder, [_line(entry) for entry in entries])
    return entries


def test_a_legacy_trail_is_read_and_continued_by_keyed_events(folder: Path) -> None:
    legacy = _legacy_trail(folder, 3)
    verdict = audit.verify(folder)
    assert (verdict.ok, verdict.lines, verdict.legacy) == (True, 3, 3)
    fourth = audit.record(folder, "load", source="test")
    assert (fourth["seq"], fourth["prev"]) == (4, legacy[-1]["hash"])
    verdict = audit.verify(folder)
    assert (verdict.ok, verdict.lines, verdict.legacy, verdict.head) == (True, 4, 3, fourth["mac"])
    shown = CliRunner().invoke(cli, ["audit", "verify"], env={"GRAPHVC_AUDIT_DIR": str(folder)})
    assert shown.exit_code == 0
    assert shown.stdout.splitlines()[1].startswith("the first 3 were written before events were")


def test_a_legacy_event_rewritten_with_its_chain_breaks_the_first_keyed_event(
    folder: Path,
) -> None:
    legacy = _legacy_trail(folder, 3)
    audit.record(folder, "load", source="test")
    keyed = _lines(folder)[-1]
    legacy[1]["person_ids"] = ["P9"]
    for before, entry in pairwise(legacy):
        entry["prev"] = before["hash"]
        entry["hash"] = _plain_hash(entry, "hash")
    _rewrite(folder, [*(_line(entry) for entry in legacy), keyed])
    verdict = audit.verify(folder)
    assert (verdict.ok, verdict.broken_line, verdict.legacy) == (False, 4, 3)
    assert "its prev does not match" in verdict.reason


# --- Several writers at once ----------------------------------------------------------------

WRITER = """
import sys
from pathlib import Path
from graphvc import audit
for i in range(int(sys.argv[2])):
    audit.record(Path(sys.argv[1]), "query.run", person_ids=[f"{sys.argv[3]}{i}"], source="test")
"""


def test_concurrent_writers_keep_one_chain_and_one_head(folder: Path) -> None:
    """Processes (commands) and threads (the app's sessions) recording at once."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRAPHVC_AUDIT_")}
    processes = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(folder), "15", f"proc{n}-"], env=env)
        for n in range(3)
    ]

    def write(name: str) -> None:
        for i in range(15):
            audit.record(folder, "person.lookup", person_ids=[f"{name}{i}"], source="test")

    threads = [threading.Thread(target=write, args=(f"thread{n}-",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [process.wait(timeout=120) for process in processes] == [0, 0, 0]
    verdict = audit.verify(folder)
    assert (verdict.ok, verdict.lines) == (True, 75), verdict.reason
    assert audit.events(folder)["seq"].tolist() == list(range(1, 76))
    assert audit.Seal.of(folder).read_head() == (75, verdict.head)
