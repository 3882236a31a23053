"""What every ``graphvc`` command group shares: a user's mistake ends in one line."""

from __future__ import annotations

from typing import Any

import click

from graphvc.errors import GraphvcError

__all__ = ["OneLineErrors"]


class OneLineErrors(click.Group):
    """A group whose commands end a :class:`GraphvcError` in one line, without a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except GraphvcError as e:
            # One line, even when the message quotes a multi-line driver error.
            raise click.ClickException(" ".join(str(e).splitlines())) from None
