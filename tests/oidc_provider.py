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
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

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
        ["mvn", "-q", "-B", "-f", str(POM), "dependency:copy-dependencies",
         f"-DoutputDirectory={lib}"],
        check=True,
    )  # fmt: skip
    done.write_text(POM.read_text())
    return lib


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running(folder: Path) -> Iterator[str]:
    """Serve the provider on a free loopback port; yields its discovery URL."""
    lib = install(folder)
    port = free_port()
    env = {
        **os.environ,
        "SERVER_HOSTNAME": "127.0.0.1",
        "SERVER_PORT": str(port),
        "JSON_CONFIG": json.dumps({"interactiveLogin": True, "httpServer": "NettyWrapper"}),
    }
    log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)  # noqa: SIM115
    process = subprocess.Popen(
        ["java", "-cp", f"{lib}/*", MAIN_CLASS], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    discovery = f"http://127.0.0.1:{port}/{ISSUER}/.well-known/openid-configuration"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(discovery, timeout=2) as answer:
                    if json.load(answer)["issuer"].endswith(f"/{ISSUER}"):
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(
                        f"the OpenID Connect provider did not start: {Path(log.name).read_text()}"
                    ) from None
                time.sleep(0.5)
        yield discovery
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        os.unlink(log.name)
