"""One-line errors for every ``graphvc`` command group, apart from :mod:`graphvc.cli._common`
so that the root group, which needs only this, starts without what the commands use."""

from __future__ import annotations

from typing import Any

import click

from graphvc.errors import GraphvcError

__all__ = ["OneLineErrors", "interruption"]


def interruption(error: BaseException) -> BaseException | None:
    """The interruption (Ctrl+C, SIGTERM: an exception that is not an :class:`Exception`)
    that ``error`` was raised while handling, if any: an error in a clean-up on the way out
    (a driver whose connection the interruption cut) is not what ended the command."""
    seen: set[int] = set()
    cause = error.__context__
    while cause is not None and id(cause) not in seen:
        if not isinstance(cause, Exception):
            return cause
        seen.add(id(cause))
        cause = cause.__context__
    return None


class OneLineErrors(click.Group):
    """A group whose commands end a :class:`GraphvcError` in one line, without a traceback;
    one raised while an interruption was on its way out lets the interruption go on."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except GraphvcError as e:
            interrupted = interruption(e)
            if interrupted is not None:
                raise interrupted from None
            # One line, even when the message quotes a multi-line driver error.
            raise click.ClickException(" ".join(str(e).splitlines())) from None
