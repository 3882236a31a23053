"""The served app talks only to pages loaded from its own host names (DNS rebinding).

A real ``graphvc app`` is started and its WebSocket, over which every piece of data travels,
is asked for with forged ``Host`` headers.
"""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Iterator

import pytest

from graphvc.app.server import HEALTH, running
from graphvc.config import Settings

PORT = int(os.environ.get("GRAPHVC_TEST_APP_PORT", "8712"))


def _upgrade(host: str) -> str:
    """The status line of a WebSocket handshake for the app's stream with ``Host: host``."""
    request = (
        "GET /_stcore/stream HTTP/1.1\r\n"
        f"Host: {host}\r\n"
        "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        "Sec-WebSocket-Protocol: streamlit\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", PORT), timeout=10) as connection:
        connection.sendall(request.encode())
        return connection.recv(4096).decode(errors="replace").splitlines()[0]


@pytest.fixture(scope="module")
def served_app(test_settings: Settings) -> Iterator[None]:
    env = {
        **os.environ,
        "NEO4J_URI": test_settings.uri,
        "NEO4J_USERNAME": test_settings.neo4j_username,
        "NEO4J_PASSWORD": test_settings.neo4j_password,
    }
    env.pop("GRAPHVC_ALLOWED_HOSTS", None)
    command = [sys.executable, "-m", "graphvc", "app", "--port", str(PORT)]
    with running(command, f"http://127.0.0.1:{PORT}{HEALTH}", env=env, timeout=90):
        yield


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8712", "127.0.0.2", "10.0.0.1"])
def test_a_forged_host_gets_no_stream(served_app: None, host: str) -> None:
    assert " 101 " not in _upgrade(host) + " "


@pytest.mark.parametrize("host", [f"127.0.0.1:{PORT}", f"localhost:{PORT}", "localhost"])
def test_the_configured_hosts_get_the_stream(served_app: None, host: str) -> None:
    assert _upgrade(host).startswith("HTTP/1.1 101")
