"""The audit trail: appended, chained under a key, its head witnessed outside it, verified;
tampering (an edit, a deletion, a truncated tail, a forged event, a recomputed chain, another
key) found at its first bad event."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphvc import audit
from graphvc.cli import cli


@pytest.fixture(autouse=True)
def _seal_from_the_trails_place(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GRAPHVC_AUDIT_KEY", raising=False)
    monkeypatch.delenv("GRAPHVC_AUDIT_SEAL_DIR", raising=False)


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
