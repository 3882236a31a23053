"""``graphvc spark``: the Spark engine's jars (``graphvc analyse --engine spark``)."""

from __future__ import annotations

import click

from graphvc.cli._common import OneLineErrors, settings_of

__all__ = ["ENGINE", "SPARK_MASTER", "spark_group"]

#: ``--engine``: where a run is computed (not part of what the run is: the stored run is the
#: same whichever computed it).
ENGINE = click.option(
    "--engine",
    "compute_engine",
    type=click.Choice(["inprocess", "spark"]),
    default="inprocess",
    show_default=True,
    help="Compute the run in this process, or on Apache Spark (pip install 'graphvc[spark]').",
)
#: ``--spark-master``: the Spark master of ``--engine spark``.
SPARK_MASTER = click.option(
    "--spark-master",
    default=None,
    metavar="URL",
    help="The Spark master of --engine spark (spark://, k8s://, yarn) [default: local[*]].",
)


@click.group("spark", cls=OneLineErrors)
def spark_group() -> None:
    """The Spark engine (graphvc analyse --engine spark)."""


@spark_group.command("install")
@click.pass_context
def spark_install(ctx: click.Context) -> None:
    """Fetch the Spark engine's jars from Maven Central (once).

    The Neo4j Connector for Apache Spark and GraphFrames, into GRAPHVC_HOME.
    """
    from graphvc.spark.jars import CONNECTOR_VERSION, GRAPHFRAMES_VERSION, install

    lib = install(settings_of(ctx))
    click.echo(
        f"Neo4j Connector for Apache Spark {CONNECTOR_VERSION} and GraphFrames "
        f"{GRAPHFRAMES_VERSION} are installed in {lib}"
    )
