"""`graphvc app` and `graphvc demo` serve the app on this machine only while it has no sign-in."""

from __future__ import annotations

from click.testing import CliRunner

from graphvc.cli import cli


def test_the_app_is_refused_beyond_this_machine_in_one_line() -> None:
    # No sign-in yet: `graphvc app --address 0.0.0.0` stops before it starts anything.
    for command in (["app", "--address", "0.0.0.0"], ["demo", "--address", "192.0.2.1"]):
        result = CliRunner().invoke(cli, command)
        assert result.exit_code == 1
        assert result.stderr.strip().splitlines() == [
            f"Error: refusing to serve the app on {command[-1]!r}: it has no sign-in, so it is "
            "served on this machine only (127.0.0.1, ::1, localhost)"
        ]
