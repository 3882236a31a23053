"""Settings, read in one place from the environment.

The standard Neo4j variables (``NEO4J_URI``, ``NEO4J_USERNAME``, ``NEO4J_PASSWORD``,
``NEO4J_DATABASE``) say which server to use. When ``NEO4J_URI`` is unset graphvc uses the
local server it manages itself (see :mod:`graphvc.localserver`), starting it when needed.
graphvc's own settings are ``GRAPHVC_*``; every one is listed in docs/operations/settings.md.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from graphvc.auth import AUTH_MODES, parse_role_map, parse_roles
from graphvc.errors import ConfigError

__all__ = [
    "AUDIT_KEY_MIN_LENGTH",
    "LOCAL_PASSWORD",
    "REFERENCE_URL_PREFIX",
    "Settings",
    "default_home",
]

#: The prefix of the settings that override a reference data file's download address,
#: e.g. ``GRAPHVC_REFERENCE_URL_LSOA_LOOKUP`` (see :mod:`graphvc.reference`).
REFERENCE_URL_PREFIX = "GRAPHVC_REFERENCE_URL_"


def default_home(cwd: Path | None = None) -> Path:
    """Where graphvc keeps its server, reference data and demo data by default.

    ``.graphvc`` in the current folder when that is a graphvc checkout (it holds
    ``pyproject.toml`` and ``graphvc/``), else the per-user data folder that ``platformdirs``
    gives (``~/.local/share/graphvc`` on Linux).
    """
    cwd = cwd or Path.cwd()
    if (cwd / "pyproject.toml").is_file() and (cwd / "graphvc").is_dir():
        return cwd / ".graphvc"
    return Path(platformdirs.user_data_dir("graphvc", appauthor=False))


#: Password of the managed local server's ``neo4j`` user unless ``NEO4J_PASSWORD`` is set.
LOCAL_PASSWORD = "graphvc-local"


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a whole number") from None


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a number") from None


def _path(env: Mapping[str, str], name: str, default: Path) -> Path:
    """The absolute path setting ``name`` names, else ``default`` (a folder under the home)."""
    return Path(env.get(name) or default).absolute()


def _optional_path(env: Mapping[str, str], name: str) -> Path | None:
    """The absolute path setting ``name`` names, or None when it is unset."""
    raw = env.get(name)
    return Path(raw).absolute() if raw else None


#: The shortest ``GRAPHVC_AUDIT_KEY``: as many characters as the hex of a 128-bit key.
AUDIT_KEY_MIN_LENGTH = 32


@dataclass(frozen=True)
class Settings:
    """Every setting graphvc reads. Build one with :meth:`from_env`."""

    neo4j_uri: str | None = None
    neo4j_username: str = "neo4j"
    neo4j_password: str = LOCAL_PASSWORD
    neo4j_database: str = "neo4j"
    home: Path = field(default_factory=default_home)
    bolt_port: int = 7687
    heap: str = "4g"
    pagecache: str = "4g"
    start_timeout: float = 180.0
    query_timeout: float = 60.0
    batch_size: int = 5000
    load_workers: int = 2
    pseudonym_key: str | None = None
    review_days: int = 90
    reference_urls: Mapping[str, str] = field(default_factory=dict)
    audit_dir: Path = field(default_factory=lambda: default_home() / "audit")
    audit_key: str | None = field(default=None, repr=False)
    audit_seal_dir: Path | None = None
    reports_dir: Path = field(default_factory=lambda: default_home() / "reports")
    runs_dir: Path = field(default_factory=lambda: default_home() / "runs")
    keep_runs: int = 10
    allowed_hosts: tuple[str, ...] = ("127.0.0.1", "localhost")
    sign_in: str = "none"
    secrets_file: Path = field(default_factory=lambda: default_home() / "secrets.toml")
    roles_claim: str = "roles"
    role_map: Mapping[str, str] = field(default_factory=dict)
    teams_claim: str = "teams"
    user_claim: str = "email"
    local_roles: frozenset[str] = frozenset({"analyst", "admin"})
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_from: str = "graphvc@localhost"
    smtp_username: str | None = None
    smtp_password: str | None = field(default=None, repr=False)
    webhook_hosts: tuple[str, ...] = ()

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read the settings from ``env`` (default: ``os.environ``)."""
        env = os.environ if env is None else env
        home = _path(env, "GRAPHVC_HOME", default_home())
        settings = cls(
            neo4j_uri=env.get("NEO4J_URI") or None,
            neo4j_username=env.get("NEO4J_USERNAME") or "neo4j",
            neo4j_password=env.get("NEO4J_PASSWORD") or LOCAL_PASSWORD,
            neo4j_database=env.get("NEO4J_DATABASE") or "neo4j",
            home=home,
            bolt_port=_int(env, "GRAPHVC_NEO4J_BOLT_PORT", 7687),
            heap=env.get("GRAPHVC_NEO4J_HEAP") or "4g",
            pagecache=env.get("GRAPHVC_NEO4J_PAGECACHE") or "4g",
            start_timeout=_float(env, "GRAPHVC_NEO4J_START_TIMEOUT", 180.0),
            query_timeout=_float(env, "GRAPHVC_QUERY_TIMEOUT", 60.0),
            batch_size=_int(env, "GRAPHVC_BATCH_SIZE", 5000),
            load_workers=_int(env, "GRAPHVC_LOAD_WORKERS", 2),
            pseudonym_key=env.get("GRAPHVC_PSEUDONYM_KEY") or None,
            review_days=_int(env, "GRAPHVC_REVIEW_DAYS", 90),
            reference_urls={
                name.removeprefix(REFERENCE_URL_PREFIX).lower(): url
                for name, url in env.items()
                if name.startswith(REFERENCE_URL_PREFIX) and url
            },
            audit_dir=_path(env, "GRAPHVC_AUDIT_DIR", home / "audit"),
            audit_key=env.get("GRAPHVC_AUDIT_KEY") or None,
            # Unset: beside the trail's folder (graphvc.audit.Seal.of), wherever that is.
            audit_seal_dir=_optional_path(env, "GRAPHVC_AUDIT_SEAL_DIR"),
            reports_dir=_path(env, "GRAPHVC_REPORTS_DIR", home / "reports"),
            runs_dir=_path(env, "GRAPHVC_RUNS_DIR", home / "runs"),
            keep_runs=_int(env, "GRAPHVC_KEEP_RUNS", 10),
            allowed_hosts=tuple(
                host.strip()
                for host in (env.get("GRAPHVC_ALLOWED_HOSTS") or "127.0.0.1,localhost").split(",")
                if host.strip()
            ),
            sign_in=(env.get("GRAPHVC_AUTH") or "none").strip().lower(),
            secrets_file=_path(env, "GRAPHVC_SECRETS_FILE", home / "secrets.toml"),
            roles_claim=env.get("GRAPHVC_ROLES_CLAIM") or "roles",
            role_map=parse_role_map(env.get("GRAPHVC_ROLE_MAP") or ""),
            teams_claim=env.get("GRAPHVC_TEAMS_CLAIM") or "teams",
            user_claim=env.get("GRAPHVC_USER_CLAIM") or "email",
            local_roles=parse_roles(env.get("GRAPHVC_LOCAL_ROLES") or "analyst,admin"),
            # A watch's alerts leave graphvc only where these say so: both off by default.
            smtp_host=env.get("GRAPHVC_SMTP_HOST") or None,
            smtp_port=_int(env, "GRAPHVC_SMTP_PORT", 25),
            smtp_from=env.get("GRAPHVC_SMTP_FROM") or "graphvc@localhost",
            smtp_username=env.get("GRAPHVC_SMTP_USERNAME") or None,
            smtp_password=env.get("GRAPHVC_SMTP_PASSWORD") or None,
            webhook_hosts=tuple(
                host.strip().lower()
                for host in (env.get("GRAPHVC_WEBHOOK_HOSTS") or "").split(",")
                if host.strip()
            ),
        )
        settings.validate()
        return settings

    def validate(self) -> None:
        """Raise :class:`ConfigError` naming the first bad setting."""
        if not 1 <= self.bolt_port <= 65535:
            raise ConfigError(f"GRAPHVC_NEO4J_BOLT_PORT={self.bolt_port!r} is not a TCP port")
        if self.batch_size < 1:
            raise ConfigError(f"GRAPHVC_BATCH_SIZE={self.batch_size!r} must be at least 1")
        if self.keep_runs < 1:
            raise ConfigError(f"GRAPHVC_KEEP_RUNS={self.keep_runs!r} must be at least 1")
        if self.load_workers < 1:
            raise ConfigError(f"GRAPHVC_LOAD_WORKERS={self.load_workers!r} must be at least 1")
        if not self.allowed_hosts or "*" in self.allowed_hosts:
            raise ConfigError(
                "GRAPHVC_ALLOWED_HOSTS must name the app's host names (comma-separated), not '*'"
            )
        if self.sign_in not in AUTH_MODES:
            raise ConfigError(
                f"GRAPHVC_AUTH={self.sign_in!r} must be one of {', '.join(AUTH_MODES)}"
            )
        if self.review_days < 1:
            raise ConfigError(f"GRAPHVC_REVIEW_DAYS={self.review_days!r} must be at least 1")
        if self.audit_key is not None and len(self.audit_key) < AUDIT_KEY_MIN_LENGTH:
            raise ConfigError(
                f"GRAPHVC_AUDIT_KEY is shorter than {AUDIT_KEY_MIN_LENGTH} characters: use a long "
                "random value, e.g. python -c 'import secrets; print(secrets.token_hex(32))'"
            )
        if not 1 <= self.smtp_port <= 65535:
            raise ConfigError(f"GRAPHVC_SMTP_PORT={self.smtp_port!r} is not a TCP port")
        if self.query_timeout <= 0:
            raise ConfigError(f"GRAPHVC_QUERY_TIMEOUT={self.query_timeout!r} must be positive")
        for name, size in (
            ("GRAPHVC_NEO4J_HEAP", self.heap),
            ("GRAPHVC_NEO4J_PAGECACHE", self.pagecache),
        ):
            if not (size[:-1].isdigit() and size[-1].lower() in "kmg"):
                raise ConfigError(f"{name}={size!r} is not a size such as 512m or 4g")

    @property
    def uses_local_server(self) -> bool:
        """True when graphvc manages the server itself (``NEO4J_URI`` unset)."""
        return self.neo4j_uri is None

    @property
    def uri(self) -> str:
        """The Bolt URI to connect to."""
        return self.neo4j_uri or f"bolt://127.0.0.1:{self.bolt_port}"

    @property
    def reference_dir(self) -> Path:
        """Where ``graphvc data install`` puts the reference data (``GRAPHVC_HOME/reference``)."""
        return self.home / "reference"

    @property
    def auth(self) -> tuple[str, str]:
        return (self.neo4j_username, self.neo4j_password)
