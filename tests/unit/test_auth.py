"""Sign-in settings, roles from identity tokens, and where the app may be served."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphvc.auth import check_serving, user_from_claims
from graphvc.config import Settings
from graphvc.errors import ConfigError

SECRETS = """[auth]
redirect_uri = "https://graphvc.force.example/oauth2callback"
cookie_secret = "{cookie}"
client_id = "graphvc"
client_secret = "s3cret"
server_metadata_url = "https://login.force.example/.well-known/openid-configuration"
"""


def test_with_sign_in_configured_the_app_may_be_served_beyond_this_machine(
    tmp_path: Path,
) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(SECRETS.format(cookie="c" * 64))
    check_serving("0.0.0.0", "oidc", secrets)  # no error
    check_serving("127.0.0.1", "none", secrets)
    with pytest.raises(ConfigError, match=r"refusing to serve the app on 10\.0\.0\.5 without"):
        check_serving("10.0.0.5", "none", secrets)
    secrets.write_text(SECRETS.format(cookie="short"))
    with pytest.raises(ConfigError, match=r"cookie_secret .* shorter than 32"):
        check_serving("0.0.0.0", "oidc", secrets)
    secrets.write_text("[auth\n")
    with pytest.raises(ConfigError, match="is not TOML"):
        check_serving("0.0.0.0", "oidc", secrets)


def test_roles_and_teams_come_from_the_configured_claims() -> None:
    claims = {
        "sub": "8f1c",
        "upn": "pc1234@force.example",
        "groups": "VC-Readers,Staff",
        "units": ["knife crime", "gangs and firearms"],
    }
    user = user_from_claims(
        claims,
        roles_claim="groups",
        role_map={"VC-Readers": "reader"},
        teams_claim="units",
        user_claim="upn",
    )
    assert user.name == "pc1234@force.example"
    assert user.roles == {"reader"}  # "Staff" maps to no role and is dropped
    assert user.pages == ["overview", "reports"] and user.pseudonymised
    specialist = user_from_claims({**claims, "roles": ["specialist"]}, teams_claim="units")
    assert specialist.query_teams == {"knife crime", "gangs and firearms"}
    assert specialist.pages == ["cypher"] and not specialist.pseudonymised
    analyst = user_from_claims({"sub": "8f1c", "roles": ["analyst", "specialist"]})
    assert analyst.name == "8f1c" and analyst.query_teams is None  # every team's queries
    assert "audit" not in analyst.pages
    nobody = user_from_claims({"sub": "x"})
    assert nobody.roles == frozenset() and nobody.pages == []


def test_sign_in_settings_are_checked_when_read() -> None:
    settings = Settings.from_env({"GRAPHVC_AUTH": "OIDC", "GRAPHVC_HOME": "/srv/graphvc"})
    assert settings.sign_in == "oidc"
    assert settings.secrets_file == Path("/srv/graphvc/secrets.toml")
    assert Settings.from_env({}).local_roles == {"analyst", "admin"}
    with pytest.raises(ConfigError, match="GRAPHVC_AUTH='ldap' must be one of none, oidc"):
        Settings.from_env({"GRAPHVC_AUTH": "ldap"})
    with pytest.raises(ConfigError, match="'chief' is not a role"):
        Settings.from_env({"GRAPHVC_ROLE_MAP": "vc-chiefs=chief"})
