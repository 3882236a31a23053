"""``graphvc resolve``: find the records that may be one person, as candidate pairs."""

from __future__ import annotations

import click

from graphvc.cli._common import JSON_SUMMARY, echo_json, open_driver, settings_of

__all__ = ["resolve_command"]

#: The steps a run reports to its progress bar (graphvc.resolve.model.score_pairs and the write).
_STEPS = 6


@click.command("resolve")
@click.option(
    "--threshold",
    type=click.FloatRange(0, 1, min_open=True),
    default=None,
    help="Match probability at which records are clustered as one person"
    " [default: graphvc.resolve.DEFAULT_THRESHOLD, 0.95].",
)
@JSON_SUMMARY
@click.pass_context
def resolve_command(ctx: click.Context, threshold: float | None, as_json: bool) -> None:
    """Compare the people's names, dates of birth, postcodes and PNC ids (splink, a
    Fellegi–Sunter model trained by expectation–maximisation) and write the pairs of records
    that may be one person as POSSIBLY_SAME_AS relationships, replacing the previous run's.
    Nothing is merged: an analyst decides. Stops with an error when no person has a date of
    birth, postcode or PNC id. Recorded in the audit trail."""
    import logging

    from tqdm import tqdm

    from graphvc import audit
    from graphvc.resolve import DEFAULT_THRESHOLD, resolve

    settings = settings_of(ctx)
    # splink reports each step of its training at INFO; the bar says where the run is.
    logging.getLogger("splink").setLevel(logging.WARNING)
    with (
        open_driver(settings) as driver,
        tqdm(total=_STEPS, desc="resolve", unit="step", disable=None, leave=False) as bar,
    ):

        def progress(step: str) -> None:
            bar.set_description(step)
            bar.update(1)

        summary, _ = resolve(
            driver,
            threshold=threshold or DEFAULT_THRESHOLD,
            database=settings.neo4j_database,
            progress=progress,
        )
    record = summary.as_dict()
    audit.record(settings.audit_dir, "resolve", what=record)
    if as_json:
        echo_json(record, sort_keys=True)
        return
    click.echo(
        f"{summary.pairs:,} candidate pairs among {summary.people:,} people written"
        f" (POSSIBLY_SAME_AS, model {summary.model}); {summary.clusters:,} clusters of"
        f" {summary.clustered:,} records at match probability {summary.threshold:g}"
    )
