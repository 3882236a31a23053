"""One run stores at a time: the runs folder's lock (:func:`graphvc.stored_runs.writing_runs`)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from graphvc.errors import RunError
from graphvc.stored_runs import writing_runs

HOLD = """
import sys
from pathlib import Path
from graphvc.stored_runs import writing_runs
with writing_runs(Path(sys.argv[1])):
    print("held", flush=True)
    sys.stdin.readline()
"""


def _holder(runs_dir: Path) -> subprocess.Popen[str]:
    """A process that holds ``runs_dir`` until its stdin is closed."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(runs_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stdout.readline() == "held\n"
    return process


def test_a_second_run_is_refused_naming_the_first(tmp_path: Path) -> None:
    holder = _holder(tmp_path)
    try:
        with pytest.raises(RunError) as refused, writing_runs(tmp_path):
            pass
        assert f"process {holder.pid} on " in str(refused.value)
        assert str(tmp_path) in str(refused.value)
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)
    with writing_runs(tmp_path):  # released: the next run may store
        assert (tmp_path / ".writing").read_text().startswith(f"process {os.getpid()} on ")
    assert list(tmp_path.iterdir()) == []  # a run that ends leaves the folder as it found it


def test_a_killed_run_leaves_the_folder_free(tmp_path: Path) -> None:
    holder = _holder(tmp_path)
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=30)
    assert (tmp_path / ".writing").exists()  # the file may stay; its lock does not
    with writing_runs(tmp_path):
        pass


def test_two_runs_of_one_process_are_refused_too(tmp_path: Path) -> None:
    # The app serves every user from one process: two re-runs there must not interleave.
    with (
        writing_runs(tmp_path),
        pytest.raises(RunError, match="another analysis"),
        writing_runs(tmp_path),
    ):
        pass


def test_a_folder_that_cannot_be_made_is_one_clear_error(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("")
    with (
        pytest.raises(RunError, match=f"cannot write runs in {blocked}/runs"),
        writing_runs(blocked / "runs"),
    ):
        pass
