"""Who may see what: the app's sign-in settings, its four roles, and which pages each opens.

The app signs people in through OpenID Connect with Streamlit's own ``st.login`` (Authlib
underneath) when ``GRAPHVC_AUTH=oidc``; the provider's issuer, client id and secret live in
the secrets file (``GRAPHVC_SECRETS_FILE``, default ``GRAPHVC_HOME/secrets.toml``), in the
``[auth]`` table Streamlit reads. With ``GRAPHVC_AUTH=none`` (the two-command demo) the
operating-system user serving the app is the only user, with the roles of
``GRAPHVC_LOCAL_ROLES``, and the app may only be served on this machine.

Roles come from a claim of the identity token (``GRAPHVC_ROLES_CLAIM``, default ``roles``: a
list, or one string of names separated by spaces or commas), translated by
``GRAPHVC_ROLE_MAP`` (``group=role,...``; a claim value that is already a role's name stands
for itself). Values that map to no role are ignored, so a user with none sees no page.

- ``analyst``: every analysis page (overview, explorer, people, person profile, victims,
  places, performance, Cypher with every team's queries, reports);
- ``specialist``: the Cypher page, with the queries of the teams in their token's
  ``GRAPHVC_TEAMS_CLAIM`` claim (default ``teams``) and those for all teams;
- ``reader``: the overview and the reports, pseudonymised;
- ``admin``: the audit page.

This module holds no Streamlit: :mod:`graphvc.app.access` asks it, page by page.
"""

from __future__ import annotations

import ipaddress
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphvc.errors import ConfigError

__all__ = [
    "AUTH_MODES",
    "PAGE_ROLES",
    "ROLES",
    "SECRETS_KEYS",
    "User",
    "check_serving",
    "is_loopback",
    "local_user",
    "parse_role_map",
    "parse_roles",
    "user_from_claims",
]

ROLES = ("analyst", "specialist", "reader", "admin")
AUTH_MODES = ("none", "oidc")
#: Which roles open each page of the app (a page a user's roles do not name is not shown).
PAGE_ROLES: dict[str, frozenset[str]] = {
    "overview": frozenset({"analyst", "reader"}),
    "explorer": frozenset({"analyst"}),
    "people": frozenset({"analyst"}),
    "person": frozenset({"analyst"}),
    "identities": frozenset({"analyst"}),
    "victims": frozenset({"analyst"}),
    "places": frozenset({"analyst"}),
    "performance": frozenset({"analyst"}),
    "cypher": frozenset({"analyst", "specialist"}),
    "reports": frozenset({"analyst", "reader"}),
    "alerts": frozenset({"analyst"}),
    "audit": frozenset({"admin"}),
}
#: What the ``[auth]`` table of the secrets file must hold for OpenID Connect sign-in.
SECRETS_KEYS = (
    "redirect_uri",
    "cookie_secret",
    "client_id",
    "client_secret",
    "server_metadata_url",
)


@dataclass(frozen=True)
class User:
    """A signed-in user (or the local one): how the audit trail names them, and their roles.

    >>> reader = User("r@force.police.uk", frozenset({"reader"}))
    >>> reader.may_open("reports"), reader.may_open("explorer"), reader.pseudonymised
    (True, False, True)
    >>> User("a", frozenset({"analyst", "reader"})).pseudonymised
    False
    """

    name: str
    roles: frozenset[str]
    teams: frozenset[str] = frozenset()

    def may_open(self, page: str) -> bool:
        """True when one of the user's roles opens ``page`` (unknown pages open for none)."""
        return bool(self.roles & PAGE_ROLES.get(page, frozenset()))

    @property
    def pages(self) -> list[str]:
        """The pages the user may open, in the app's order."""
        return [page for page in PAGE_ROLES if self.may_open(page)]

    @property
    def pseudonymised(self) -> bool:
        """True when the user sees people only under pseudonyms (a reader, not an analyst)."""
        return "reader" in self.roles and "analyst" not in self.roles

    @property
    def query_teams(self) -> frozenset[str] | None:
        """The teams whose stored queries the user may run; ``None`` for every team."""
        return None if "analyst" in self.roles else self.teams


def _names(value: Any, *, spaces: bool = True) -> list[str]:
    """A claim's values: a list, or one string separated by commas (and spaces when
    ``spaces``)."""
    if value is None:
        return []
    if isinstance(value, str):
        text = value.replace(",", " ").split() if spaces else value.split(",")
        return [v.strip() for v in text if v.strip()]
    if isinstance(value, Iterable):
        return [str(v).strip() for v in value if str(v).strip()]
    return [str(value)]


def parse_roles(text: str, setting: str = "GRAPHVC_LOCAL_ROLES") -> frozenset[str]:
    """Role names separated by commas, each one of :data:`ROLES`.

    >>> sorted(parse_roles("analyst, admin"))
    ['admin', 'analyst']
    >>> parse_roles("analyst,boss")
    Traceback (most recent call last):
    ...
    graphvc.errors.ConfigError: GRAPHVC_LOCAL_ROLES='analyst,boss': 'boss' is not a role (analyst, specialist, reader, admin)
    """
    roles = _names(text)
    for role in roles:
        if role not in ROLES:
            raise ConfigError(f"{setting}={text!r}: {role!r} is not a role ({', '.join(ROLES)})")
    return frozenset(roles)


def parse_role_map(text: str) -> dict[str, str]:
    """``GRAPHVC_ROLE_MAP``: claim values to roles, as ``value=role`` pairs separated by commas.

    >>> parse_role_map("vc-analysts=analyst, vc-command=reader")
    {'vc-analysts': 'analyst', 'vc-command': 'reader'}
    >>> parse_role_map("vc-analysts")
    Traceback (most recent call last):
    ...
    graphvc.errors.ConfigError: GRAPHVC_ROLE_MAP='vc-analysts': 'vc-analysts' is not value=role
    """
    mapping: dict[str, str] = {}
    for pair in (p.strip() for p in text.split(",")):
        if not pair:
            continue
        value, sep, role = (part.strip() for part in pair.partition("="))
        if not sep or not value:
            raise ConfigError(f"GRAPHVC_ROLE_MAP={text!r}: {pair!r} is not value=role")
        if role not in ROLES:
            raise ConfigError(
                f"GRAPHVC_ROLE_MAP={text!r}: {role!r} is not a role ({', '.join(ROLES)})"
            )
        mapping[value] = role
    return mapping


def user_from_claims(
    claims: Mapping[str, Any],
    *,
    roles_claim: str = "roles",
    role_map: Mapping[str, str] | None = None,
    teams_claim: str = "teams",
    user_claim: str = "email",
) -> User:
    """The user an identity token's ``claims`` describe.

    The name is the ``user_claim`` claim, else ``preferred_username``, else ``sub``.

    >>> user = user_from_claims({"sub": "u1", "email": "ann@force.police.uk",
    ...     "groups": ["vc-spec", "staff"], "teams": "gangs and firearms"},
    ...     roles_claim="groups", role_map={"vc-spec": "specialist"})
    >>> user.name, sorted(user.roles), sorted(user.teams)
    ('ann@force.police.uk', ['specialist'], ['gangs and firearms'])
    >>> user_from_claims({"sub": "u2", "roles": "reader admin"}).roles == {"reader", "admin"}
    True
    """
    mapping = dict(role_map or {})
    roles = {mapping.get(value, value) for value in _names(claims.get(roles_claim))}
    name = next(
        (
            str(claims[claim])
            for claim in (user_claim, "preferred_username", "sub")
            if claims.get(claim)
        ),
        "unknown",
    )
    return User(
        name=name,
        roles=frozenset(roles & set(ROLES)),
        teams=frozenset(_names(claims.get(teams_claim), spaces=False)),
    )


def local_user(system_user: str, roles: Iterable[str]) -> User:
    """The one user of an app served without sign-in: the operating-system user."""
    return User(name=f"app:{system_user}", roles=frozenset(roles))


def is_loopback(address: str) -> bool:
    """True for an address of this machine only.

    >>> is_loopback("127.0.0.1"), is_loopback("::1"), is_loopback("localhost")
    (True, True, True)
    >>> is_loopback("0.0.0.0"), is_loopback("10.1.2.3")
    (False, False)
    """
    if address == "localhost":
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def _auth_table(secrets_file: Path) -> Mapping[str, Any]:
    try:
        text = secrets_file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"GRAPHVC_AUTH=oidc but the secrets file {secrets_file} does not exist: write its "
            f"[auth] table ({', '.join(SECRETS_KEYS)}) or set GRAPHVC_SECRETS_FILE"
        ) from None
    except OSError as e:
        raise ConfigError(f"cannot read the secrets file {secrets_file}: {e}") from None
    try:
        table = tomllib.loads(text).get("auth")
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"the secrets file {secrets_file} is not TOML: {e}") from None
    if not isinstance(table, Mapping):
        raise ConfigError(f"the secrets file {secrets_file} has no [auth] table")
    return table


def check_serving(address: str, auth: str, secrets_file: Path) -> None:
    """Refuse to serve the app where it may not be served, in one line.

    Without sign-in (``auth == "none"``) only this machine may be served; with OpenID
    Connect the secrets file must hold every key of :data:`SECRETS_KEYS` in ``[auth]``.
    """
    if auth == "oidc":
        table = _auth_table(secrets_file)
        missing = [key for key in SECRETS_KEYS if not table.get(key)]
        if missing:
            raise ConfigError(
                f"the [auth] table of {secrets_file} lacks {', '.join(missing)}: "
                "sign-in cannot work without them"
            )
        if len(str(table["cookie_secret"])) < 32:
            raise ConfigError(
                f"the cookie_secret in {secrets_file} is shorter than 32 characters: use a long "
                "random one (python -c 'import secrets; print(secrets.token_hex(32))')"
            )
        return
    if not is_loopback(address):
        raise ConfigError(
            f"refusing to serve the app on {address} without sign-in: set GRAPHVC_AUTH=oidc "
            "(see docs/operations/security.md) or serve on 127.0.0.1"
        )
