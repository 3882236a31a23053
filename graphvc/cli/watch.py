"""``graphvc watch``: saved queries that alert on new matches (:mod:`graphvc.watches`).

Every command acts for one owner, the operating-system user unless ``--owner`` says
otherwise (as the audit trail names the command line's user); ``run --all`` runs every
owner's due watches, for a cron job or a systemd timer. Each run, each change of a watch
and each decision on an alert is recorded in the audit trail, with the persons it names.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import click

from graphvc import audit
from graphvc.cli._common import JSON_SUMMARY, OneLineErrors, echo_json, open_driver, settings_of
from graphvc.cli.query import _query_params
from graphvc.errors import GraphvcError

__all__ = ["watch_group"]

OWNER = click.option(
    "--owner", default=None, help="Whose watches (default: you, the operating-system user)."
)


def _owner(owner: str | None) -> str:
    return owner or audit.system_user()


@click.group("watch", cls=OneLineErrors)
def watch_group() -> None:
    """Saved queries that run on a schedule and raise an alert on each new match.

    A watch is a library query (`graphvc query list`) with its parameters, or an explorer
    view (--query explorer -p centre=ID -p hops=N). `graphvc watch run --all` from cron runs
    each due watch; its new matches are alerts, listed by `graphvc watch alerts` and the
    app's Alerts page.
    """


@watch_group.command("add")
@click.argument("name")
@click.option("--query", "query", required=True, help="A library query's name, or explorer.")
@click.option(
    "--param", "-p", "pairs", multiple=True, metavar="KEY=VALUE", help="A parameter's value."
)
@click.option(
    "--schedule",
    type=click.Choice(["hourly", "daily", "weekly"]),
    default="daily",
    show_default=True,
    help="How often `watch run --all` runs it.",
)
@click.option("--email", default=None, help="Also e-mail new alerts here (GRAPHVC_SMTP_HOST).")
@click.option(
    "--webhook", default=None, help="Also post new alerts to this URL (GRAPHVC_WEBHOOK_HOSTS)."
)
@OWNER
@click.option("--json", "as_json", is_flag=True, help="Print the saved watch as JSON.")
@click.pass_context
def watch_add(
    ctx: click.Context,
    name: str,
    query: str,
    pairs: tuple[str, ...],
    schedule: str,
    email: str | None,
    webhook: str | None,
    owner: str | None,
    as_json: bool,
) -> None:
    """Save watch NAME on --query with --param values."""
    from graphvc.queries import persons_among
    from graphvc.watches import add_watch, check_watch

    if email and webhook:
        raise GraphvcError("give --email or --webhook, not both")
    delivery = {"email": email} if email else {"webhook": webhook} if webhook else None
    parameters = check_watch(query, _query_params(pairs))
    settings, who = settings_of(ctx), _owner(owner)
    with open_driver(settings) as driver:
        database = settings.neo4j_database
        named = persons_among(driver, parameters.values(), database=database)
        what = {"watch": name, "owner": who, "query": query, "parameters": parameters}
        audit.record(settings.audit_dir, "watch.add", person_ids=named, what=what)
        watch = add_watch(
            driver,
            owner=who,
            name=name,
            query=query,
            parameters=parameters,
            schedule=schedule,
            delivery=delivery,
            database=database,
        )
    if as_json:
        echo_json(_watch_json(watch))
    else:
        click.echo(f"watch {watch.name} of {watch.owner} saved: {watch.query}, {watch.schedule}")


def _watch_json(watch: Any) -> dict[str, Any]:
    return asdict(watch)


@watch_group.command("list")
@OWNER
@click.option("--everyone", is_flag=True, help="Every owner's watches.")
@click.option("--json", "as_json", is_flag=True, help="Print the watches as JSON.")
@click.pass_context
def watch_list(ctx: click.Context, owner: str | None, everyone: bool, as_json: bool) -> None:
    """List your watches (or --owner's, or --everyone's): name, query, schedule, last run."""
    from graphvc.watches import list_watches

    settings = settings_of(ctx)
    with open_driver(settings) as driver:
        found = list_watches(
            driver, None if everyone else _owner(owner), database=settings.neo4j_database
        )
    if as_json:
        echo_json([_watch_json(w) for w in found])
        return
    for w in found:
        last = w.last_run.isoformat(timespec="seconds") if w.last_run else "never run"
        click.echo(f"{w.owner}/{w.name}  {w.query}  {w.schedule}  {last}")


@watch_group.command("show")
@click.argument("name")
@OWNER
@click.option("--json", "as_json", is_flag=True, help="Print the watch as JSON.")
@click.pass_context
def watch_show(ctx: click.Context, name: str, owner: str | None, as_json: bool) -> None:
    """Show watch NAME: its query, parameters, schedule, delivery and last run."""
    from graphvc.watches import get_watch

    settings = settings_of(ctx)
    with open_driver(settings) as driver:
        watch = get_watch(driver, _owner(owner), name, database=settings.neo4j_database)
    if as_json:
        echo_json(_watch_json(watch))
        return
    for key, value in _watch_json(watch).items():
        click.echo(f"{key}: {value}")


@watch_group.command("remove")
@click.argument("name")
@OWNER
@click.pass_context
def watch_remove(ctx: click.Context, name: str, owner: str | None) -> None:
    """Remove watch NAME (its alerts stay)."""
    from graphvc.watches import remove_watch

    settings, who = settings_of(ctx), _owner(owner)
    with open_driver(settings) as driver:
        audit.record(settings.audit_dir, "watch.remove", what={"watch": name, "owner": who})
        remove_watch(driver, who, name, database=settings.neo4j_database)
    click.echo(f"watch {name} of {who} removed")


@watch_group.command("run")
@click.argument("name", required=False)
@click.option("--all", "run_all", is_flag=True, help="Every due watch (of --owner, if given).")
@click.option("--owner", default=None, help="Whose watches (NAME: default you).")
@JSON_SUMMARY
@click.pass_context
def watch_run(
    ctx: click.Context, name: str | None, run_all: bool, owner: str | None, as_json: bool
) -> None:
    """Run watch NAME now, or --all due watches; record each new match as an alert."""
    from graphvc.queries import persons_among
    from graphvc.watches import run_watches

    if run_all == (name is not None):
        raise GraphvcError("give either a watch NAME or --all")
    settings = settings_of(ctx)
    with open_driver(settings) as driver:
        summary = run_watches(
            driver,
            names=None if run_all else [str(name)],
            owner=owner if run_all else _owner(owner),
            settings=settings,
        )
        for line in summary["watches"]:
            named = persons_among(driver, line["ids"], database=settings.neo4j_database)
            what = {k: line[k] for k in ("name", "owner", "rows", "new", "alerts")}
            what |= {"error": line["error"]} if "error" in line else {}
            audit.record(settings.audit_dir, "watch.run", person_ids=named, what=what)
    if as_json:
        echo_json(summary)
    else:
        for line in summary["watches"]:
            outcome = f"error: {line['error']}" if "error" in line else f"{line['new']} new"
            click.echo(f"{line['owner']}/{line['name']}: {line['rows']} rows, {outcome}")
        click.echo(f"{summary['ran']} watches run, {summary['new_alerts']} new alerts")
    failed = [line["name"] for line in summary["watches"] if "error" in line]
    if failed:
        raise GraphvcError(f"{len(failed)} of {summary['ran']} watches failed: {', '.join(failed)}")


@watch_group.command("alerts")
@OWNER
@click.option(
    "--status",
    type=click.Choice(["new", "confirmed", "dismissed"]),
    default=None,
    help="Only these.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the alerts as JSON.")
@click.pass_context
def watch_alerts(ctx: click.Context, owner: str | None, status: str | None, as_json: bool) -> None:
    """List your alerts (or --owner's), newest first."""
    from graphvc.queries import persons_among
    from graphvc.watches import list_alerts

    settings, who = settings_of(ctx), _owner(owner)
    with open_driver(settings) as driver:
        found = list_alerts(driver, who, status, database=settings.neo4j_database)
        ids = [i for alert in found for i in alert.ids]
        named = persons_among(driver, ids, database=settings.neo4j_database)
    # The alerts name these persons and are about to be shown.
    audit.record(
        settings.audit_dir,
        "watch.alerts",
        person_ids=named,
        what={"owner": who, "status": status, "alerts": len(found)},
    )
    if as_json:
        echo_json([asdict(alert) for alert in found])
        return
    for alert in found:
        click.echo(
            f"{alert.id}  {alert.found_at:%Y-%m-%d %H:%M}  {alert.status:<9} {alert.summary}"
        )


@watch_group.command("decide")
@click.argument("alert_id")
@click.argument("decision", type=click.Choice(["confirmed", "dismissed"]))
@click.option("--reason", default=None, help="Why (required to dismiss).")
@click.pass_context
def watch_decide(ctx: click.Context, alert_id: str, decision: str, reason: str | None) -> None:
    """Confirm or dismiss alert ALERT_ID (dismissing needs --reason)."""
    from graphvc.queries import persons_among
    from graphvc.watches import check_decision, decide_alert, get_alert

    settings, who = settings_of(ctx), audit.system_user()
    reason = check_decision(decision, who, reason)
    with open_driver(settings) as driver:
        database = settings.neo4j_database
        alert = get_alert(driver, alert_id, database=database)
        named = persons_among(driver, alert.ids, database=database)
        what = {"alert": alert_id, "watch": alert.watch, "decision": decision, "reason": reason}
        audit.record(settings.audit_dir, "watch.alert.decide", person_ids=named, what=what)
        decided = decide_alert(
            driver, alert_id=alert_id, decision=decision, by=who, reason=reason, database=database
        )
    click.echo(f"alert {decided.id} {decided.status} by {decided.decided_by}")
