"""`graphvc app` and `graphvc demo` serve the app beyond this machine only with sign-in."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from graphvc.cli import cli


def test_the_app_is_refused_beyond_this_machine_without_sign_in_in_one_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("GRAPHVC_AUTH", raising=False)
    for command in (["app", "--address", "0.0.0.0"], ["demo", "--address", "192.0.2.1"]):
        result = CliRunner().invoke(cli, command)
        assert result.exit_code == 1
        assert result.stderr.strip().splitlines() == [
            f"Error: refusing to serve the app on {command[-1]} without sign-in: set "
            "GRAPHVC_AUTH=oidc (see docs/operations/security.md) or serve on "
            "127.0.0.1"
        ]


def test_sign_in_without_its_secrets_is_refused_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secrets = tmp_path / "secrets.toml"
    monkeypatch.setenv("GRAPHVC_AUTH", "oidc")
    monkeypatch.setenv("GRAPHVC_SECRETS_FILE", str(secrets))
    result = CliRunner().invoke(cli, ["app", "--address", "0.0.0.0"])
    assert result.exit_code == 1
    assert f"the secrets file {secrets} does not exist" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1

    secrets.write_text('[auth]\nredirect_uri = "http://h:8501/oauth2callback"\nclient_id = "x"\n')
    result = CliRunner().invoke(cli, ["app", "--address", "0.0.0.0"])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"Error: the [auth] table of {secrets} lacks cookie_secret, client_secret, "
        "server_metadata_url: sign-in cannot work without them"
    ]
