"""``graphvc person ID``: one person's profile, in words and tables, or as strict JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from graphvc.cli._common import echo_json, open_driver, settings_of

if TYPE_CHECKING:  # pandas is imported when the command runs, not at start-up
    import pandas as pd

__all__ = ["person_command"]


@click.command("person")
@click.argument("person_id")
@click.option("--json", "as_json", is_flag=True, help="Print the profile as (strict) JSON.")
@click.option(
    "--pseudonymise",
    is_flag=True,
    help="Name every person by a keyed hash (HMAC-SHA256 with GRAPHVC_PSEUDONYM_KEY).",
)
@click.pass_context
def person_command(ctx: click.Context, person_id: str, as_json: bool, pseudonymise: bool) -> None:
    """The profile of person PERSON_ID in the newest stored run: where they rank and why, in
    words built from the run's own numbers, then their incidents, co-offenders and links,
    victims, risk assessments, places and list history. Recorded in the audit trail as a
    lookup."""
    from graphvc import audit
    from graphvc.profile import (
        list_history,
        person_profile,
        profile_record,
        profile_tables,
        profile_words,
        pseudonymised,
    )
    from graphvc.profile.tables import TABLE_TITLES
    from graphvc.reports.weekly_centrality import check_options
    from graphvc.stored_runs import list_runs

    settings = settings_of(ctx)
    check_options(pseudonymise=pseudonymise, key=settings.pseudonym_key)
    with open_driver(settings) as driver:
        database = settings.neo4j_database
        runs = list_runs(driver, database=database)
        run = runs[0] if runs else None
        # Recorded before the profile is read, so a lookup that cannot be audited is not done.
        audit.record(
            settings.audit_dir,
            "person.profile",
            person_ids=[person_id],
            what={"run": run.id if run else None, "pseudonymised": pseudonymise},
        )
        profile = person_profile(
            driver, person_id, run=run, runs_dir=settings.runs_dir, database=database
        )
    key = settings.pseudonym_key if pseudonymise else None
    history = list_history(settings.reports_dir, person_id, key=key)
    if key is not None:
        profile = pseudonymised(profile, key)
    words = profile_words(profile)
    if as_json:
        record = profile_record(profile, words, extra={"list_history": history})
        echo_json(record)
        return
    click.echo(
        _text(
            profile.person_id,
            words,
            {**profile_tables(profile), "list_history": history},
            TABLE_TITLES,
        )
    )


def _text(
    person: str, words: list[str], tables: dict[str, pd.DataFrame], titles: dict[str, str]
) -> str:
    """The profile as text: the words, then each table that has rows under its title, in
    plain language (:func:`graphvc.display.plain_table`)."""
    from graphvc.display import plain_table

    lines = [f"Person {person}", "", *words]
    for name, frame in tables.items():
        if frame.empty:
            continue
        title = titles.get(name, name.replace("_", " ").capitalize())
        lines += ["", f"{title} ({len(frame):,})", plain_table(frame).to_string(index=False)]
    return "\n".join(lines)
