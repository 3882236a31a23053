"""``graphvc query``: the specialist teams' Cypher library (cypher/*.cypher)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from graphvc import audit
from graphvc.cli._common import OneLineErrors, echo_json, format_rows, open_driver, settings_of
from graphvc.errors import GraphvcError

__all__ = ["query_group"]


@click.group("query", cls=OneLineErrors)
def query_group() -> None:
    """The specialist teams' Cypher library (cypher/*.cypher): list, show, run, check.

    A query runs read-only unless its header says `mode: write` and --allow-write is given.
    """


def _query_params(pairs: tuple[str, ...]) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs:
        key, separator, value = pair.partition("=")
        if not separator or not key.strip():
            raise GraphvcError(f"--param {pair!r} is not KEY=VALUE")
        if key.strip() in values:
            raise GraphvcError(f"--param {key.strip()!r} is given twice")
        values[key.strip()] = value
    return values


@query_group.command("list")
@click.option("--team", default=None, help="Only this team's queries and those for all teams.")
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
def query_list(team: str | None, as_json: bool) -> None:
    """List the library's queries: name, team, mode and title."""
    from graphvc.queries import TEAMS, list_queries

    if team is not None and team not in TEAMS:
        raise GraphvcError(f"--team {team!r} is not one of: {', '.join(TEAMS)}")
    found = list_queries(team)
    if as_json:
        rows = [{"name": q.name, "title": q.title, "team": q.team, "mode": q.mode} for q in found]
        echo_json(rows)
        return
    width = max((len(q.name) for q in found), default=0)
    for q in found:
        click.echo(f"{q.name:<{width}}  {q.title}  [{q.team}]")


@query_group.command("show")
@click.argument("name")
def query_show(name: str) -> None:
    """Show a query's header and Cypher (NAME, or the path of a .cypher file)."""
    from graphvc.queries import load_query

    query = load_query(name)
    click.echo(f"{query.name}: {query.title}\n{query.description}")
    click.echo(f"team: {query.team}    mode: {query.mode}\nparameters:")
    for p in query.params:
        given = "required" if p.required else f"default {json.dumps(p.default)}"
        example = f", example {json.dumps(p.example)}" if p.example is not None else ""
        click.echo(f"  {p.name} ({p.type}, {given}{example}): {p.description}")
    click.echo("columns:")
    for c in query.columns:
        click.echo(f"  {c.name}: {c.description}")
    click.echo(f"\n{query.body}")


@query_group.command("run")
@click.argument("name", required=False)
@click.option(
    "--param",
    "-p",
    "pairs",
    multiple=True,
    metavar="KEY=VALUE",
    help="A parameter's value; repeat for each parameter.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
)
@click.option(
    "--out",
    "out_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write the rows to this file instead of standard output.",
)
@click.option(
    "--file",
    "query_file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Run your own query file (with the same header) instead.",
)
@click.option(
    "--allow-write",
    is_flag=True,
    help="Let a query whose header says `mode: write` write to the graph.",
)
@click.pass_context
def query_run(
    ctx: click.Context,
    name: str | None,
    pairs: tuple[str, ...],
    output_format: str,
    out_path: Path | None,
    query_file: Path | None,
    allow_write: bool,
) -> None:
    """Run library query NAME, or --file PATH, with --param KEY=VALUE values."""
    from graphvc.queries import (
        check_parameters,
        load_query,
        persons_among,
        persons_in_rows,
        run_stored_query,
    )

    if (name is None) == (query_file is None):
        raise GraphvcError("give either a library query NAME or --file PATH")
    query = load_query(query_file if query_file is not None else str(name))
    values = check_parameters(query, _query_params(pairs))
    settings = settings_of(ctx)
    database = settings.neo4j_database
    what = query.audit_details(values)
    with open_driver(settings) as driver:
        # Whoever a value names is looked up, under any parameter name (from_id, to_id).
        named = persons_among(driver, values.values(), database=database)
        audit.record(settings.audit_dir, "query.run", person_ids=named, what=what)
        frame = run_stored_query(
            driver,
            query,
            values,
            database=database,
            timeout=settings.query_timeout,
            allow_write=allow_write,
        )
        # The rows are about to be shown: the people in them are recorded first.
        returned = [p for p in persons_in_rows(driver, frame, database=database) if p not in named]
    if returned:
        result = {"query": query.name, "sha256": query.sha256, "rows": len(frame)}
        audit.record(settings.audit_dir, "query.result", person_ids=returned, what=result)
    text = format_rows(frame, output_format)
    if out_path is None:
        click.echo(text, nl=False)
    else:
        try:
            out_path.write_text(text, encoding="utf-8")
        except OSError as e:
            raise GraphvcError(f"cannot write {out_path}: {e.strerror}") from None
        click.echo(f"{len(frame):,} rows of {query.name} written to {out_path}", err=True)


@query_group.command("check")
@click.argument("names", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@click.pass_context
def query_check(ctx: click.Context, names: tuple[str, ...], as_json: bool) -> None:
    """Run every library query (or NAMES) with its example parameters; fail if any fails."""
    from graphvc.queries import check_library, load_query

    chosen = [load_query(name) for name in names] or None
    settings = settings_of(ctx)
    with open_driver(settings) as driver:
        results = check_library(
            driver, chosen, database=settings.neo4j_database, timeout=settings.query_timeout
        )
    if as_json:
        echo_json(results.to_dict(orient="records"))
    else:
        for row in results.itertuples(index=False):
            verdict = "pass" if row.passed else f"FAIL  {row.message}"
            click.echo(f"{row.name:<32} {row.rows:>6} rows {row.seconds:>7.3f}s  {verdict}")
    failed = results.loc[~results["passed"], "name"].tolist()
    if failed:
        raise GraphvcError(f"{len(failed)} of {len(results)} queries failed: {', '.join(failed)}")
