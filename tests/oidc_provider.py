"""A real OpenID Connect provider for the sign-in tests, run by the suite like Neo4j.

NAV's ``mock-oauth2-server`` (``no.nav.security:mock-oauth2-server`` on Maven Central) is a
complete provider: discovery, authorisation-code flow, signed identity tokens, a JWKS. With
``interactiveLogin`` its sign-in form takes any user name and a JSON object of claims, which
end up in the identity token: so a test signs in as a user with the roles it needs.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from graphvc.app import server
from graphvc.config import Settings

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


@contextmanager
def signed_app(
    folder: Path, discovery: str, settings: Settings, **env: str
) -> Iterator[tuple[str, Path]]:
    """Serve the app by ``graphvc app`` with OpenID Connect sign-in against the provider at
    ``discovery`` and the graph of ``settings``, its secrets, home, audit and reports in
    ``folder``; roles from the ``groups`` claim (``vc-analysts`` is ``analyst``). ``env``
    adds settings (``GRAPHVC_RUNS_DIR``...). Yields (the app's URL, its audit folder)."""
    port = server.free_port()
    url = f"http://127.0.0.1:{port}"
    (folder / "secrets.toml").write_text(
        "[auth]\n"
        f'redirect_uri = "{url}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "graphvc"\n'
        'client_secret = "a-test-client-secret"\n'
        f'server_metadata_url = "{discovery}"\n'
    )
    served = {
        **os.environ,
        "NEO4J_URI": settings.uri,
        "NEO4J_USERNAME": settings.neo4j_username,
        "NEO4J_PASSWORD": settings.neo4j_password,
        "NEO4J_DATABASE": settings.neo4j_database,
        "GRAPHVC_HOME": str(folder / "home"),
        "GRAPHVC_AUDIT_DIR": str(folder / "audit"),
        "GRAPHVC_REPORTS_DIR": str(folder / "reports"),
        "GRAPHVC_AUTH": "oidc",
        "GRAPHVC_SECRETS_FILE": str(folder / "secrets.toml"),
        "GRAPHVC_ROLES_CLAIM": "groups",
        "GRAPHVC_ROLE_MAP": "vc-analysts=analyst",
        **env,
    }
    command = [sys.executable, "-m", "graphvc", "app", "--port", str(port)]
    with server.running(command, url + server.HEALTH, env=served):
        yield url, folder / "audit"
