"""The managed server's class-data archive: written once by a clean exit, then mapped."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from graphvc import localserver


@pytest.fixture
def paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> localserver._Paths:
    monkeypatch.setattr(localserver, "_java_version", lambda java: f"openjdk of {java}")
    paths = localserver._Paths(tmp_path / "neo4j")
    paths.lib.mkdir(parents=True)
    return paths


def test_without_an_archive_the_server_writes_one_as_it_exits(paths: localserver._Paths) -> None:
    stale = localserver._class_archive(paths, "java").with_suffix(".partial")
    stale.write_bytes(b"cut short")
    (option,) = localserver._class_archive_options(paths, "java")
    assert option == f"-XX:ArchiveClassesAtExit={stale}"
    assert not stale.exists()  # a killed run's leftovers are never kept


def test_an_archive_is_mapped_and_each_java_build_has_its_own(paths: localserver._Paths) -> None:
    archive = localserver._class_archive(paths, "java")
    archive.write_bytes(b"classes")
    assert localserver._class_archive_options(paths, "java") == [f"-XX:SharedArchiveFile={archive}"]
    other = localserver._class_archive(paths, "/opt/another/java")
    assert other != archive and other.parent == paths.lib
    assert localserver._class_archive_options(paths, "/opt/another/java")[0].startswith(
        "-XX:ArchiveClassesAtExit="
    )


@pytest.mark.parametrize(("clean_exit", "kept"), [(True, [".jsa"]), (False, [])])
def test_the_archive_is_kept_only_after_a_clean_exit(
    paths: localserver._Paths, clean_exit: bool, kept: list[str]
) -> None:
    (option,) = localserver._class_archive_options(paths, "java")
    Path(option.split("=", 1)[1]).write_bytes(b"classes")
    localserver._keep_class_archive(paths, clean_exit=clean_exit)
    assert [p.suffix for p in paths.lib.glob("server-classes-*")] == kept


def test_terminate_says_whether_the_process_exited_when_asked() -> None:
    asked = subprocess.Popen(["sleep", "60"])
    assert localserver._terminate(asked.pid, grace=5) is True
    stubborn = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import signal, sys, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
            "print(flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
    )
    assert stubborn.stdout is not None and stubborn.stdout.readline()  # its handler is set
    assert localserver._terminate(stubborn.pid, grace=0.5) is False
    assert stubborn.wait(timeout=5) == -signal.SIGKILL
    assert asked.wait(timeout=5) == -signal.SIGTERM
    assert localserver._terminate(asked.pid, grace=5) is False  # gone before it was asked
