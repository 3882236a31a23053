"""The jar the Spark engine adds to Spark, fetched once by Maven like Neo4j's own.

``pom.xml`` beside this module names the Neo4j Connector for Apache Spark (and says why not
GraphFrames); :func:`install` copies it and any runtime dependencies into ``GRAPHVC_HOME/spark`` with
``mvn dependency:copy-dependencies`` (as :func:`graphvc.localserver.install` does for Neo4j),
and :func:`installed_jars` lists them for ``spark.jars``: nothing is fetched while a run starts.
"""

from __future__ import annotations

import re
from pathlib import Path

from graphvc.config import Settings
from graphvc.localserver import copy_dependencies

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
    copy_dependencies(
        _POM, lib.parent, lib, what=f"the Neo4j Connector for Apache Spark {CONNECTOR_VERSION}"
    )
    marker.write_text(CONNECTOR_VERSION)
    return lib


def installed_jars(settings: Settings) -> list[Path]:
    """The jars for ``spark.jars``, fetched first if they are not yet (:func:`install`)."""
    return sorted(install(settings).glob("*.jar"))
