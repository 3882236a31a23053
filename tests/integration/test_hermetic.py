"""The suite is hermetic: what a user keeps in their own ``GRAPHVC_HOME`` changes no test.

The app tests that draw the overview's and the places' maps as the graph's own places (no
outlines installed) once failed when London's reference data was installed in the checkout's
home, as the README invites: the session's own home (``tests/conftest.py``) keeps it out.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from graphvc import reference
from graphvc.config import Settings
from graphvc.reference import install_from

ROOT = Path(__file__).resolve().parents[2]
#: The tests that failed with London's reference data in the user's home.
MAP_TESTS = [
    f"tests/integration/test_app.py::{name}"
    for name in (
        "test_overview_counts_map_and_latest_report",
        "test_the_overview_reads_the_run_and_counts_the_graph_only_when_asked",
        "test_places_and_the_knox_test",
    )
]


def test_the_session_reads_a_home_of_its_own(session_home: Path) -> None:
    settings = Settings.from_env()
    assert settings.home == session_home
    assert settings.runs_dir == session_home / "runs"
    assert reference.read_status(session_home) is None  # nothing installed unless a test does


def test_the_users_installed_london_changes_no_test(reference_source: Path, tmp_path: Path) -> None:
    """The map tests, in a pytest of their own whose user home holds London's reference
    data, pass as they do without it; the user's home is left as it was."""
    home = tmp_path / "user-home"
    install_from(reference_source, home)
    before = sorted(str(path.relative_to(home)) for path in home.rglob("*"))
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            f"--basetemp={tmp_path / 'pytest'}",
            *MAP_TESTS,
        ],
        cwd=ROOT,
        env={**os.environ, "GRAPHVC_HOME": str(home)},
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert f"{len(MAP_TESTS)} passed" in done.stdout
    assert sorted(str(path.relative_to(home)) for path in home.rglob("*")) == before
