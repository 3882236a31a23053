"""Run a server process until it answers, for as long as a block needs it: the app served by
Streamlit for the browser tests and the benchmarks, or a test's OpenID Connect provider.

>>> port = free_port()
>>> 1024 <= port < 65536
True
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from graphvc.errors import ServerError

__all__ = ["HEALTH", "free_port", "running", "streamlit_command"]

#: The path at which a Streamlit server answers ``ok`` once it serves.
HEALTH = "/_stcore/health"


def free_port() -> int:
    """A TCP port free on the loopback address now (the system's choice)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def streamlit_command(script: str | Path, *, port: int, address: str = "127.0.0.1") -> list[str]:
    """The command that serves ``script`` with Streamlit on ``address:port``: headless (no
    browser opened), sending no usage statistics, and showing its readers no "Deploy" button
    or developer menu (the toolbar of a viewer: analysts are not the app's developers)."""
    options = {
        "server.address": address,
        "server.port": str(port),
        "server.headless": "true",
        "browser.gatherUsageStats": "false",
        "client.toolbarMode": "viewer",
    }
    flags = [part for name, value in options.items() for part in (f"--{name}", value)]
    return [sys.executable, "-m", "streamlit", "run", str(script), *flags]


def _says_ok(body: bytes) -> bool:
    """Streamlit's health check (:data:`HEALTH`) answers ``ok`` once it serves."""
    return body == b"ok"


def _stop(process: subprocess.Popen[bytes], grace: float) -> None:
    """Stop the process and its children (``graphvc app`` may leave Streamlit as a child):
    politely first, then for good after ``grace`` seconds."""
    for sent in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sent)
        except ProcessLookupError:
            return
        try:
            process.wait(grace)
            return
        except subprocess.TimeoutExpired:
            continue


def _wait_until_ready(
    process: subprocess.Popen[bytes],
    url: str,
    ready: Callable[[bytes], bool],
    timeout: float,
    log: Path,
) -> None:
    """Ask ``url`` until its answer is ``ready``; raise when the process stops first or
    ``timeout`` seconds pass, with what the process wrote."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if ready(answer.read()):
                    return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            state = "stopped" if process.poll() is not None else f"gave no answer in {timeout:g} s"
            written = log.read_text(errors="replace")[-4000:]
            raise ServerError(f"{url}: the server {state}; it wrote:\n{written}")
        time.sleep(0.3)


@contextmanager
def running(
    command: Sequence[str],
    url: str,
    *,
    env: Mapping[str, str] | None = None,
    cwd: str | Path | None = None,
    timeout: float = 60.0,
    ready: Callable[[bytes], bool] = _says_ok,
) -> Iterator[subprocess.Popen[bytes]]:
    """Start ``command`` and wait until a GET of ``url`` answers a body that is ``ready``
    (by default Streamlit's ``ok``); yield the process, and stop it and its children when
    the block ends.

    The process runs in a session of its own, writing to a temporary log that the error
    quotes when it stops or gives no ready answer within ``timeout`` seconds
    (:class:`graphvc.errors.ServerError`).
    """
    with tempfile.NamedTemporaryFile("w+b", suffix=".log") as log:
        process = subprocess.Popen(
            list(command),
            env=None if env is None else dict(env),
            cwd=cwd,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            _wait_until_ready(process, url, ready, timeout, Path(log.name))
            yield process
        finally:
            _stop(process, grace=10)
