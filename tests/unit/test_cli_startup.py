"""`graphvc --help` starts light: the root lists its commands without importing them, and
so without pandas, networkx, the Neo4j driver or Streamlit (it took 1.1-2.3 s to answer)."""

from __future__ import annotations

import json
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from graphvc.cli import COMMANDS, cli

#: What a command may load, and `graphvc --help` must not.
HEAVY = ("pandas", "networkx", "neo4j", "streamlit", "igraph", "scipy", "pyarrow")

_HELP_IN_A_FRESH_PROCESS = f"""
import json, sys
sys.argv = ["graphvc", "--help"]
from graphvc.cli import main
try:
    main()
except SystemExit:
    pass
loaded = sorted({{m.split(".")[0] for m in sys.modules}} & set({HEAVY!r}))
print(json.dumps(loaded))
"""


def test_graphvc_help_imports_none_of_what_the_commands_use() -> None:
    answer = subprocess.run(
        [sys.executable, "-c", _HELP_IN_A_FRESH_PROCESS],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    *shown, loaded = answer.stdout.strip().splitlines()
    assert json.loads(loaded) == []
    listed = [line.split()[0] for line in shown[shown.index("Commands:") + 1 :]]
    assert listed == sorted(COMMANDS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_listed_command_loads_and_answers_its_help(name: str) -> None:
    command = cli.get_command(click.Context(cli), name)
    assert isinstance(command, click.Command) and command.name == name
    # The line `graphvc --help` shows is whole in an 80-column terminal.
    assert 0 < len(COMMANDS[name][1]) <= 60
    result = CliRunner().invoke(cli, [name, "--help"], prog_name="graphvc")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Usage: graphvc {name} ")


def test_an_unknown_command_is_refused_in_one_line() -> None:
    result = CliRunner().invoke(cli, ["analyze"])
    assert result.exit_code == 2
    assert "No such command 'analyze'" in result.output
