"""``graphvc audit``: show and verify the audit trail."""

from __future__ import annotations

import click

from graphvc import audit
from graphvc.cli._common import OneLineErrors, echo_json, settings_of
from graphvc.contract import LOCAL_TIME_ZONE
from graphvc.errors import GraphvcError
from graphvc.runs import parse_as_of

__all__ = ["audit_group"]


@click.group("audit", cls=OneLineErrors)
def audit_group() -> None:
    """The audit trail: who looked up whom, ran, loaded, reported or exported what, when."""


@audit_group.command("show")
@click.option("--person", default=None, help="Only events naming this person id.")
@click.option("--user", default=None, help="Only this user's events.")
@click.option("--since", default=None, help="Only events at or after this date (YYYY-MM-DD).")
@click.option("--json", "as_json", is_flag=True, help="Print the events as JSON lines.")
@click.pass_context
def audit_show(
    ctx: click.Context, person: str | None, user: str | None, since: str | None, as_json: bool
) -> None:
    """List audit events, oldest first ("who looked at this person?")."""
    start = None
    if since is not None:
        moment = parse_as_of(since)
        start = moment.tz_localize(LOCAL_TIME_ZONE) if moment is not None else None
    found = audit.events(settings_of(ctx).audit_dir, person=person, user=user, since=start)
    if as_json:
        for row in found.to_dict(orient="records"):
            echo_json(row, sort_keys=True, default=str)
        return
    for event in found.to_dict(orient="records"):
        people = ", ".join(event["person_ids"]) or "-"
        click.echo(
            f"{event['seq']:>6} {event['at']} {event['user']:<16} {event['action']:<16} "
            f"people: {people}"
        )


@audit_group.command("verify")
@click.pass_context
def audit_verify(ctx: click.Context) -> None:
    """Check the trail's MAC chain against its key and witnessed head; exit 1 naming the
    first bad event and what is wrong with it."""
    settings = settings_of(ctx)
    folder = settings.audit_dir
    verdict = audit.verify(folder, audit.Seal.of(folder, settings))
    if not verdict.ok:
        raise GraphvcError(
            f"{folder / audit.AUDIT_FILE} line {verdict.broken_line}: {verdict.reason}"
        )
    click.echo(f"{verdict.lines:,} events intact; head hash {verdict.head}")
    if verdict.legacy:
        click.echo(
            f"the first {verdict.legacy:,} were written before events were keyed (a plain "
            "SHA-256 chain): the keyed events after them vouch for them"
            if verdict.legacy < verdict.lines
            else f"all {verdict.legacy:,} were written before events were keyed (a plain "
            "SHA-256 chain, which anyone can recompute): the next event is keyed"
        )
