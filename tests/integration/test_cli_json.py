"""Every JSON output of every command is strict JSON, which `jq` and every JavaScript client
read: `null` where a value is missing, never `NaN` (`graphvc targets --json` once wrote
`"baseline_detected": NaN`). The commands are found in the command tree, so a new command
with `--json` (or `--format json`) fails here until it is given its arguments below."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import click
import neo4j
import pytest
from click.testing import CliRunner

from graphvc.cli import cli
from graphvc.config import Settings
from tests.cli_env import cli_env
from tests.strict_json import strict_json

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "tests" / "fixtures" / "small"
#: A police.uk file in its format (three made-up rows) and the geography of its one LSOA:
#: the command's output is what is checked, not real data.
POLICE_UK = ROOT / "tests" / "fixtures" / "police_uk_tiny"
STREET = POLICE_UK / "2024-01-tiny-street.csv"

#: Each command that prints JSON, in the order they run (loads first), with its arguments
#: (the JSON switch among them) and the exit status it ends with on the small graph.
RUNS: dict[tuple[str, ...], tuple[list[str], int]] = {
    ("load",): ([str(SMALL), "--json"], 0),
    ("load-police-uk",): (
        [
            str(STREET),
            "--lookup",
            str(POLICE_UK / "lookup.csv"),
            "--centroids",
            str(POLICE_UK / "centroids.csv"),
            "--json",
        ],
        0,
    ),
    ("load-network",): (["{edges}", "--type", "associate", "--json"], 0),
    ("analyse",): (["--json", "--as-of", "2025-01-03"], 0),
    ("targets",): (["--json"], 0),
    ("db", "counts"): (["--json"], 0),
    ("data", "status"): (["--json"], 3),  # nothing installed: exit 3, said in JSON
    ("audit", "show"): (["--json"], 0),  # JSON lines, one event each
    ("query", "list"): (["--json"], 0),
    ("query", "run"): (["co_offenders", "-p", "person_id=P1", "--format", "json"], 0),
    ("query", "check"): (["--json"], 0),
    ("person",): (["P1", "--json"], 0),  # slice PROFILE's `graphvc person`, once merged
    ("watch", "add"): (
        ["w1", "--query", "new_incident_near_person", "-p", "person_id=P1", "--json"],
        0,
    ),
    ("watch", "list"): (["--json"], 0),
    ("watch", "show"): (["w1", "--json"], 0),
    ("watch", "run"): (["w1", "--json"], 0),
    ("watch", "alerts"): (["--json"], 0),
    # The small graph's one knife incident (I5, two offenders): offending is what can be fitted.
    ("risk", "contagion"): (["--as-of", "2025-01-03", "--outcome", "offender", "--json"], 0),
    # I2 (2024-02-10): P1 and P3, known before (I1) but never offending together.
    ("backtest", "co-offenders"): (
        ["--train-until", "2024-02-01", "--test-months", "3", "--json"],
        0,
    ),
    # The small graph names no one's date of birth, postcode or PNC id: resolve refuses.
    ("resolve",): (["--json"], 1),
    ("backtest", "contagion"): (
        ["--train-until", "2024-11-01", "--test-months", "3", "--outcome", "offender", "--json"],
        0,
    ),
}


def _prints_json(command: click.Command) -> bool:
    for option in command.params:
        if not isinstance(option, click.Option):
            continue
        if "--json" in option.opts:
            return True
        if isinstance(option.type, click.Choice) and "json" in option.type.choices:
            return True
    return False


def json_commands(group: click.Group = cli, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """The path of every command in ``group``'s tree that can print JSON."""
    ctx = click.Context(group)
    found: list[tuple[str, ...]] = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, name
        if isinstance(command, click.Group):
            found += json_commands(command, (*path, name))
        elif _prints_json(command):
            found.append((*path, name))
    return found


@pytest.fixture
def env(
    empty_graph: neo4j.Driver, test_settings: Settings, tmp_path: Path
) -> Iterator[dict[str, str]]:
    with cli_env(empty_graph, test_settings, tmp_path / "home") as found:
        yield found


def test_every_command_is_given_its_arguments() -> None:
    found = json_commands()
    assert len(found) >= 11, found
    missing = [" ".join(path) for path in found if path not in RUNS]
    assert not missing, f"give these commands their arguments in RUNS: {missing}"


def test_every_json_output_is_strict_json(env: dict[str, str], tmp_path: Path) -> None:
    edges = tmp_path / "edges.csv"
    edges.write_text("source,target,weight\nP1,P2,1\nP2,P3,\n", encoding="utf-8")
    found = set(json_commands())
    ran = []
    for path, (arguments, status) in RUNS.items():
        if path not in found:
            continue
        given = [str(edges) if a == "{edges}" else a for a in arguments]
        if path[0].startswith("load"):
            given += ["--rejects", str(tmp_path / f"{path[0]}-rejects.csv")]
        result = CliRunner().invoke(cli, [*path, *given], env=env)
        assert result.exit_code == status, (path, result.output, result.exception)
        if status and not result.stdout:  # a refusal: one line on stderr, no JSON at all
            assert len(result.stderr.splitlines()) == 1, (path, result.output)
            ran.append(path)
            continue
        documents = result.stdout.splitlines() if path == ("audit", "show") else [result.stdout]
        assert documents and all(documents), (path, result.stdout)
        for text in documents:
            try:
                strict_json(text)
            except ValueError as e:
                raise AssertionError(f"graphvc {' '.join(path)}: {e}: {text[:300]}") from None
        ran.append(path)
    assert set(ran) == found


def test_the_targets_table_names_its_areas_whole(env: dict[str, str], tmp_path: Path) -> None:
    loaded = CliRunner().invoke(
        cli, ["load", str(SMALL), "--rejects", str(tmp_path / "r.csv")], env=env
    )
    assert loaded.exit_code == 0, loaded.output
    result = CliRunner().invoke(cli, ["targets"], env=env)
    assert result.exit_code == 0, result.output
    # The fixture's two boroughs had no gun crime in the baseline: said whole, not "gun_".
    assert (
        "set the boroughs with most gun enabled in the baseline: none had any "
        "(the target names 11; the data have 2 boroughs)"
    ) in result.output
    assert "E09000001 City of London" in result.output
