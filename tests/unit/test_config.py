from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from graphvc.cli import cli
from graphvc.config import LOCAL_PASSWORD, Settings
from graphvc.db import split_statements
from graphvc.errors import ConfigError


def test_defaults_use_the_managed_local_server() -> None:
    settings = Settings.from_env({})
    assert settings.uses_local_server
    assert settings.uri == "bolt://127.0.0.1:7687"
    assert settings.auth == ("neo4j", LOCAL_PASSWORD)


def test_standard_neo4j_variables_point_elsewhere() -> None:
    settings = Settings.from_env(
        {
            "NEO4J_URI": "neo4j+s://abc.databases.neo4j.io",
            "NEO4J_USERNAME": "analyst",
            "NEO4J_PASSWORD": "secret-pw",
            "NEO4J_DATABASE": "crime",
            "GRAPHVC_HOME": "/tmp/gvc",
        }
    )
    assert not settings.uses_local_server
    assert settings.uri == "neo4j+s://abc.databases.neo4j.io"
    assert settings.auth == ("analyst", "secret-pw")
    assert settings.neo4j_database == "crime"
    assert settings.home == Path("/tmp/gvc")


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        (
            "GRAPHVC_NEO4J_BOLT_PORT",
            "seven",
            "GRAPHVC_NEO4J_BOLT_PORT='seven' is not a whole number",
        ),
        ("GRAPHVC_NEO4J_BOLT_PORT", "70000", "GRAPHVC_NEO4J_BOLT_PORT=70000 is not a TCP port"),
        ("GRAPHVC_NEO4J_HEAP", "lots", "GRAPHVC_NEO4J_HEAP='lots' is not a size"),
        ("GRAPHVC_BATCH_SIZE", "0", "GRAPHVC_BATCH_SIZE=0 must be at least 1"),
    ],
)
def test_bad_settings_name_the_variable_and_value(name: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(")):
        Settings.from_env({name: value})


def test_cli_reports_a_bad_setting_in_one_line() -> None:
    result = CliRunner().invoke(cli, ["neo4j", "status"], env={"GRAPHVC_NEO4J_BOLT_PORT": "x"})
    assert result.exit_code == 1
    assert result.output.strip() == "Error: GRAPHVC_NEO4J_BOLT_PORT='x' is not a whole number"


def test_start_without_java_says_so(tmp_path: Path) -> None:
    env = {"PATH": str(tmp_path), "GRAPHVC_HOME": str(tmp_path), "GRAPHVC_NEO4J_BOLT_PORT": "1"}
    result = CliRunner().invoke(cli, ["neo4j", "start"], env=env)
    assert result.exit_code == 1
    assert "Java 17 or newer is needed" in result.output
    assert "Traceback" not in result.output


def test_split_statements_drops_comments_and_blank_statements() -> None:
    script = "// header\nCREATE INDEX a IF NOT EXISTS FOR (n:X) ON (n.a);\n\n// b\nRETURN 1;\n"
    assert split_statements(script) == [
        "CREATE INDEX a IF NOT EXISTS FOR (n:X) ON (n.a)",
        "RETURN 1",
    ]
