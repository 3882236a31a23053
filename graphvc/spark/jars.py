"""The jar the Spark engine adds to Spark, fetched once by Maven like Neo4j's own.

``pom.xml`` beside this module names the Neo4j Connector for Apache Spark (and says why not
GraphFrames); :func:`install` copies it and any runtime dependencies into ``GRAPHVC_HOME/spark`` with
``mvn dependency:copy-dependencies`` (as :func:`graphvc.localserver.install` does for Neo4j),
and :func:`installed_jars` lists them for ``spark.jars``: nothing is fetched while a run starts.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from graphvc.config import Settings
from graphvc.errors import ServerError

__all__ = ["CONNECTOR_VERSION", "install", "installed_jars"]

_POM = Path(__file__).with_name("pom.xml")
CONNECTOR_VERSION: str = re.findall(
    r"<connector.version>([^<]+)</connector.version>", _POM.read_text()
)[0]


def _lib(settings: Settings) -> Path:
    return settings.home / "spark" / f"jars-{CONNECTOR_VERSION}"


def install(settings: Settings) -> Path:
    """Fetch the connector's jar with Maven into ``GRAPHVC_HOME/spark``
    (a no-op once done). Returns the folder of jars.

    Raises :class:`ServerError` when Maven is missing or cannot fetch them.
    """
    lib = _lib(settings)
    marker = lib / ".installed"
    if marker.exists():
        return lib
    mvn = shutil.which("mvn")
    if mvn is None:
        raise ServerError("Maven is needed to fetch the Spark engine's jars; `mvn` is not on PATH")
    lib.parent.mkdir(parents=True, exist_ok=True)
    pom = lib.parent / "pom.xml"
    shutil.copyfile(_POM, pom)
    staging = lib.parent / "jars.partial"
    shutil.rmtree(staging, ignore_errors=True)
    command = [
        mvn,
        "-B",
        "-q",
        "-f",
        str(pom),
        "dependency:copy-dependencies",
        f"-DoutputDirectory={staging}",
        "-DincludeScope=runtime",
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = (done.stdout + done.stderr).strip().splitlines()[-5:]
        raise ServerError(f"Maven could not fetch the Spark engine's jars: {' | '.join(tail)}")
    shutil.rmtree(lib, ignore_errors=True)
    staging.rename(lib)
    marker.write_text(CONNECTOR_VERSION)
    return lib


def installed_jars(settings: Settings) -> list[Path]:
    """The jars for ``spark.jars``, fetched first if they are not yet (:func:`install`)."""
    return sorted(install(settings).glob("*.jar"))
