"""``graphvc contract docs``: the input contract as a page for people."""

from __future__ import annotations

from pathlib import Path

import click

from graphvc.cli._common import OneLineErrors

__all__ = ["contract_group"]


@click.group("contract", cls=OneLineErrors)
def contract_group() -> None:
    """The input contract: the tables and columns `graphvc load` reads."""


@contract_group.command("docs")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the page to this file instead of printing it.",
)
def contract_docs(output: Path | None) -> None:
    """Print docs/input-contract.md, generated from the contract's declarations."""
    from graphvc.contract_docs import contract_markdown

    page = contract_markdown()
    if output is None:
        click.echo(page, nl=False)
    else:
        output.write_text(page, encoding="utf-8")
        click.echo(f"wrote {output}")
