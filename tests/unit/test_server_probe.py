"""Whether the managed server answers: a server that takes the connection, agrees a Bolt
version and then says nothing (as Neo4j may while it starts on a busy machine) is "not yet",
never an exception that ends the start."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import replace

import pytest

from graphvc import localserver
from graphvc.config import Settings


@pytest.fixture
def silent_bolt_port() -> Iterator[int]:
    """A loopback port whose listener answers Bolt's handshake (version 5.4), then is silent."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    held: list[socket.socket] = []

    def serve() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:  # the listener closed: the test is over
                return
            connection.recv(20)
            connection.sendall(b"\x00\x00\x04\x05")
            held.append(connection)

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield listener.getsockname()[1]
    finally:
        listener.close()
        for connection in held:
            connection.close()


def test_a_server_that_agrees_bolt_then_stays_silent_is_not_ready(silent_bolt_port: int) -> None:
    settings = replace(Settings.from_env({}), neo4j_uri=None, bolt_port=silent_bolt_port)
    answers, why = localserver._bolt_answers(settings)
    assert not answers
    assert why == f"nothing answers on bolt://127.0.0.1:{silent_bolt_port} (SessionExpired)"
