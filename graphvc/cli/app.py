"""``graphvc app``: serve the Streamlit app, this machine only unless sign-in is set up."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from graphvc import localserver
from graphvc.auth import check_serving
from graphvc.cli._common import ADDRESS, PORT, settings_of
from graphvc.config import Settings

__all__ = ["app_command", "serve_app"]

#: The app's entry point, which Streamlit runs.
APP_MAIN = Path(__file__).resolve().parents[1] / "app" / "main.py"


def serve_app(address: str, port: int, settings: Settings) -> None:
    """Serve the app, with the sign-in ``settings`` configure (callers check first, with
    :func:`graphvc.auth.check_serving`, that it may be served on ``address``)."""
    from graphvc.app.server import streamlit_command  # here: not every command's start-up

    click.echo(f"graphvc app: http://{address}:{port}  (Ctrl+C to stop)", err=True)
    # The app's data travels on its WebSocket, which Streamlit opens only to a request whose
    # Host header is one of these names: a web page on another name that resolves to this
    # machine (DNS rebinding) gets no data.
    hosts = [
        option for host in settings.allowed_hosts for option in ("--server.allowedHosts", host)
    ]
    # Streamlit reads sign-in's [auth] table from the secrets file, and from nowhere else.
    secrets = ["--secrets.files", str(settings.secrets_file)] if settings.sign_in == "oidc" else []
    command = [*streamlit_command(APP_MAIN, port=port, address=address), *hosts, *secrets]
    sys.stdout.flush()
    sys.stderr.flush()
    # Streamlit takes this process's place, so stopping `graphvc app` stops the server.
    os.execv(sys.executable, command)


@click.command("app")
@ADDRESS
@PORT
@click.pass_context
def app_command(ctx: click.Context, address: str, port: int) -> None:
    """Serve the Streamlit app (read-only) on ADDRESS:PORT: this machine only, unless sign-in
    is configured (GRAPHVC_AUTH=oidc)."""
    settings = settings_of(ctx)
    check_serving(address, settings.sign_in, settings.secrets_file)
    localserver.ensure_running(settings)
    serve_app(address, port, settings)
