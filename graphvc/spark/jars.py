"""The jars the Spark engine adds to Spark, fetched once by Maven like Neo4j's own.

``pom.xml`` beside this module names the Neo4j Connector for Apache Spark and GraphFrames
(with its graphframes-graphx module); :func:`install` copies them into ``GRAPHVC_HOME/spark``
with ``mvn dependency:copy-dependencies`` (as :func:`graphvc.localserver.install` does for
Neo4j), and :func:`installed_jars` lists them for ``spark.jars``: nothing is fetched while a
run starts. The folder is named by both versions, so an install made before either changed
(or before GraphFrames was added) is fetched again rather than used without it.
"""

from __future__ import annotations

import re
from pathlib import Path

from graphvc.config import Settings
from graphvc.localserver import copy_dependencies

__all__ = ["CONNECTOR_VERSION", "GRAPHFRAMES_VERSION", "install", "installed_jars"]

_POM = Path(__file__).with_name("pom.xml")


def _pom_property(name: str) -> str:
    return str(re.findall(rf"<{name}>([^<]+)</{name}>", _POM.read_text())[0])


CONNECTOR_VERSION: str = _pom_property("connector.version")
GRAPHFRAMES_VERSION: str = _pom_property("graphframes.version")


def _lib(settings: Settings) -> Path:
    return settings.home / "spark" / f"jars-{CONNECTOR_VERSION}-graphframes-{GRAPHFRAMES_VERSION}"


def install(settings: Settings) -> Path:
    """Fetch the connector's and GraphFrames' jars with Maven into ``GRAPHVC_HOME/spark``
    (a no-op once done). Returns the folder of jars.

    Raises :class:`ServerError` when Maven is missing or cannot fetch them.
    """
    lib = _lib(settings)
    marker = lib / ".installed"
    if marker.exists():
        return lib
    copy_dependencies(
        _POM,
        lib.parent,
        lib,
        what=(
            f"the Neo4j Connector for Apache Spark {CONNECTOR_VERSION} "
            f"and GraphFrames {GRAPHFRAMES_VERSION}"
        ),
    )
    marker.write_text(f"{CONNECTOR_VERSION} {GRAPHFRAMES_VERSION}")
    return lib


def installed_jars(settings: Settings) -> list[Path]:
    """The jars for ``spark.jars``, fetched first if they are not yet (:func:`install`)."""
    return sorted(install(settings).glob("*.jar"))
