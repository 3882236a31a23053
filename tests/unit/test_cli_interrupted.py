"""An error raised while an interruption is on its way out (a clean-up whose connection the
Ctrl+C cut) does not hide the interruption: the command ends as interrupted, not failed."""

from __future__ import annotations

import click
import pytest

from graphvc.cli._common import OneLineErrors
from graphvc.errors import DatabaseError


def _group() -> click.Group:
    group = OneLineErrors("g")

    @group.command("interrupted")
    def interrupted() -> None:
        try:
            raise KeyboardInterrupt
        finally:
            raise DatabaseError("Neo4j refused the query: a session IN_TRANSACTION")

    @group.command("failed")
    def failed() -> None:
        raise DatabaseError("Neo4j refused the query: a real failure")

    return group


def test_an_error_in_a_clean_up_lets_the_interruption_go_on() -> None:
    group = _group()
    with pytest.raises(KeyboardInterrupt):
        group.invoke(group.make_context("g", ["interrupted"]))


def test_an_error_of_its_own_still_ends_in_one_line() -> None:
    group = _group()
    with pytest.raises(click.ClickException, match="a real failure"):
        group.invoke(group.make_context("g", ["failed"]))
