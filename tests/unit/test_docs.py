"""The documentation site against the code: every setting documented, every page present.

The site itself is built by ``mkdocs build --strict`` in ``make test``, which fails on a broken
link or anchor; these tests hold what mkdocs cannot know: that the settings page lists every
variable ``graphvc/config.py`` reads, that the navigation names pages that exist (and every
page is in it), and that the README stays a ten-minute read whose links resolve.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml

from graphvc.config import Settings

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
SETTINGS_PAGE = DOCS / "operations" / "settings.md"

#: A setting's name: the standard Neo4j variables and graphvc's own. A name ending in ``_`` is a
#: prefix (``GRAPHVC_REFERENCE_URL_`` + a file's name).
SETTING = re.compile(r"(?:GRAPHVC|NEO4J)_[A-Z0-9_]+")


def settings_in_config() -> set[str]:
    """Every setting name written as a string in ``graphvc/config.py``'s code.

    Read from the source rather than from ``Settings`` so that a variable read anywhere in
    the module (a helper, a prefix scanned over the environment) counts; the messages' f-strings
    are not whole names (``"GRAPHVC_BATCH_SIZE="``) and do not match.
    """
    tree = ast.parse((ROOT / "graphvc" / "config.py").read_text(encoding="utf-8"))
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and SETTING.fullmatch(node.value)
    }


class RecordingEnvironment(Mapping[str, str]):
    """An empty environment that remembers every name looked up in it."""

    def __init__(self) -> None:
        self.asked: set[str] = set()

    def __getitem__(self, name: str) -> str:
        self.asked.add(name)
        raise KeyError(name)

    def get(self, name: str, default: Any = None) -> Any:
        self.asked.add(name)
        return default

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


class _AnyTagLoader(yaml.SafeLoader):
    """mkdocs.yml names Python objects (``!!python/name:...``); read them as plain text."""


_AnyTagLoader.add_multi_constructor(
    "tag:yaml.org,2002:python/", lambda loader, suffix, node: loader.construct_scalar(node)
)


def nav_pages(nav: object) -> Iterator[str]:
    """Every Markdown file the navigation names, however deeply nested."""
    if isinstance(nav, str):
        if not nav.startswith(("http://", "https://")):
            yield nav
    elif isinstance(nav, list):
        for item in nav:
            yield from nav_pages(item)
    elif isinstance(nav, dict):
        for value in nav.values():
            yield from nav_pages(value)


def mkdocs_config() -> dict[str, Any]:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_AnyTagLoader)
    assert isinstance(config, dict)
    return config


def test_config_is_read_for_the_settings_it_is_expected_to_read() -> None:
    found = settings_in_config()
    assert {"NEO4J_URI", "NEO4J_PASSWORD", "GRAPHVC_HOME", "GRAPHVC_AUTH"} <= found
    env = RecordingEnvironment()
    Settings.from_env(env)
    # Every variable from_env looks up is one the source scan finds.
    assert env.asked <= found, sorted(env.asked - found)


def test_every_setting_config_reads_is_on_the_settings_page() -> None:
    page = SETTINGS_PAGE.read_text(encoding="utf-8")
    missing = [
        name
        for name in sorted(settings_in_config())
        if (f"`{name}<" if name.endswith("_") else f"`{name}`") not in page
    ]
    assert not missing, f"not on {SETTINGS_PAGE.relative_to(ROOT)}: {missing}"


def test_every_page_in_the_navigation_exists() -> None:
    config = mkdocs_config()
    assert config["docs_dir"] == "docs"
    pages = list(nav_pages(config["nav"]))
    assert "operations/settings.md" in pages
    assert "performance.md" in pages
    missing = [page for page in pages if not (DOCS / page).is_file()]
    assert not missing, f"mkdocs.yml's nav names pages docs/ lacks: {missing}"
    assert len(pages) == len(set(pages)), "a page is in the navigation twice"


def test_every_page_is_in_the_navigation() -> None:
    pages = set(nav_pages(mkdocs_config()["nav"]))
    on_disk = {path.relative_to(DOCS).as_posix() for path in DOCS.rglob("*.md")}
    assert not on_disk - pages, f"pages missing from mkdocs.yml's nav: {sorted(on_disk - pages)}"


def test_the_readme_is_short_and_its_links_resolve() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 300
    assert readme.index("## Quickstart") < readme.index("## Commands")
    targets = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", readme)
    local = [target for target in targets if "://" not in target]
    assert "docs/index.md" in local
    broken = [target for target in local if not (ROOT / target).exists()]
    assert not broken, f"README links to missing files: {broken}"
