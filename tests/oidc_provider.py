"""A real OpenID Connect provider for the sign-in tests, run by the suite like Neo4j.

NAV's ``mock-oauth2-server`` (``no.nav.security:mock-oauth2-server`` on Maven Central) is a
complete provider: discovery, authorisation-code flow, signed identity tokens, a JWKS. With
``interactiveLogin`` its sign-in form takes any user name and a JSON object of claims, which
end up in the identity token: so a test signs in as a user with the roles it needs.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from graphvc.app import server

ROOT = Path(__file__).resolve().parent.parent
POM = ROOT / "tests" / "oidc" / "pom.xml"
MAIN_CLASS = "no.nav.security.mock.oauth2.StandaloneMockOAuth2ServerKt"
ISSUER = "default"


def install(folder: Path) -> Path:
    """Copy the provider's jars from Maven Central into ``folder/lib`` (once)."""
    lib = folder / "lib"
    done = lib / ".complete"
    if done.exists() and done.read_text() == POM.read_text():
        return lib
    if lib.exists():
        shutil.rmtree(lib)
    subprocess.run(
        [
            "mvn",
            "-q",
            "-B",
            "-f",
            str(POM),
            "dependency:copy-dependencies",
            f"-DoutputDirectory={lib}",
        ],
        check=True,
    )
    done.write_text(POM.read_text())
    return lib


def _ours(body: bytes) -> bool:
    """The discovery document names this provider's issuer."""
    try:
        return bool(json.loads(body)["issuer"].endswith(f"/{ISSUER}"))
    except (ValueError, KeyError):
        return False


@contextmanager
def running(folder: Path) -> Iterator[str]:
    """Serve the provider on a free loopback port; yields its discovery URL."""
    lib = install(folder)
    port = server.free_port()
    env = {
        **os.environ,
        "SERVER_HOSTNAME": "127.0.0.1",
        "SERVER_PORT": str(port),
        "JSON_CONFIG": json.dumps({"interactiveLogin": True, "httpServer": "NettyWrapper"}),
    }
    discovery = f"http://127.0.0.1:{port}/{ISSUER}/.well-known/openid-configuration"
    command = ["java", "-cp", f"{lib}/*", MAIN_CLASS]
    with server.running(command, discovery, env=env, timeout=90, ready=_ours):
        yield discovery
