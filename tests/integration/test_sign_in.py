"""Sign-in, end to end: a real OpenID Connect provider on loopback, the real app served by
``graphvc app`` with ``GRAPHVC_AUTH=oidc``, and headless Chromium signing in through the
provider's own form.

The provider (``tests/oidc_provider.py``) puts the claims typed into its form in the identity
token. The app reads roles from the ``groups`` claim, mapping ``vc-analysts`` to ``analyst``
(``GRAPHVC_ROLE_MAP``); the other roles are named as themselves.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import neo4j
import pytest

from graphvc import audit
from graphvc.config import Settings
from graphvc.schema import apply_schema, wipe
from loaders.folder import load_folder
from tests import oidc_provider
from tests.browser import chromium

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "tests" / "fixtures" / "small"
ANALYST_PAGES = [
    "Overview",
    "Network explorer",
    "Dangerous people",
    "Person profile",
    "Identities",
    "Victims",
    "Places",
    "Performance",
    "Cypher",
    "Reports",
    "Alerts",
]


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    with oidc_provider.running(ROOT / ".graphvc" / "oidc") as discovery:
        yield discovery


@pytest.fixture(scope="module")
def signed_app(
    provider: str,
    empty_graph: neo4j.Driver,
    test_settings: Settings,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, Path]]:
    """The app with sign-in, served on loopback over the small graph; (its URL, its audit
    folder)."""
    wipe(empty_graph)
    apply_schema(empty_graph)
    load_folder(empty_graph, SMALL)
    with oidc_provider.signed_app(
        tmp_path_factory.mktemp("signed_app"), provider, test_settings
    ) as served:
        yield served


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[object]:
    """Headless Chromium with a profile of its own (so no sign-in cookie is shared)."""
    with chromium(tmp_path / "profile", height=1200) as driver:
        yield driver


def _wait(browser: object):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, 30)


def _settled(browser) -> tuple[str, list[str]]:
    """The page's title (its first heading) and the names in its navigation, once drawn."""
    from selenium.webdriver.common.by import By

    _wait(browser).until(lambda b: b.find_elements(By.TAG_NAME, "h1"))
    _wait(browser).until(
        lambda b: not b.find_elements(By.CSS_SELECTOR, "[data-testid='stStatusWidget']")
    )
    title = browser.find_elements(By.TAG_NAME, "h1")[0].text
    links = browser.find_elements(By.CSS_SELECTOR, "[data-testid='stSidebarNav'] a")
    return title, [link.text.splitlines()[-1] for link in links]


def _sign_in(browser, url: str, user: str, claims: dict[str, object]) -> tuple[str, list[str]]:
    """Sign in at ``url`` through the provider's form; the first page and the navigation."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    browser.get(url)
    _wait(browser).until(
        ec.element_to_be_clickable((By.XPATH, "//button[.//p[text()='Sign in']]"))
    ).click()
    _wait(browser).until(ec.presence_of_element_located((By.NAME, "username"))).send_keys(user)
    browser.find_element(By.NAME, "claims").send_keys(json.dumps(claims))
    browser.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    _wait(browser).until(lambda b: b.current_url.startswith(url))
    return _settled(browser)


def test_a_signed_out_visitor_sees_only_the_sign_in_page(
    signed_app: tuple[str, Path], browser
) -> None:
    from selenium.webdriver.common.by import By

    url, _ = signed_app
    for path in ("", "/explorer", "/audit"):
        browser.get(f"{url}{path}")
        title, links = _settled(browser)
        assert (title, links) == ("graphvc", []), path
        _wait(browser).until(
            lambda b: b.find_elements(By.XPATH, "//button[.//p[text()='Sign in']]")
        )
        assert "Network explorer" not in browser.page_source


@pytest.mark.parametrize(
    ("groups", "title", "pages"),
    [
        (["vc-analysts"], "Overview", ANALYST_PAGES),
        (["reader"], "Overview", ["Overview", "Reports"]),
        (["specialist"], "Cypher", []),  # one page: no navigation is drawn
        (["admin"], "Audit trail", []),
        (["staff"], "graphvc", []),  # no graphvc role: told so, and nothing else
    ],
)
def test_each_role_sees_exactly_its_pages(
    signed_app: tuple[str, Path], browser, groups: list[str], title: str, pages: list[str]
) -> None:
    url, _ = signed_app
    assert _sign_in(browser, url, "ann", {"groups": groups}) == (title, pages)
    # A page the role does not open stays shut when asked for by its address.
    browser.get(f"{url}/explorer")
    shown, _ = _settled(browser)
    assert (shown == "Network explorer") == ("vc-analysts" in groups)


def test_a_looked_up_person_is_audited_under_the_signed_in_user(
    signed_app: tuple[str, Path], browser
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    url, audit_dir = signed_app
    _sign_in(browser, url, "u-4711", {"groups": ["vc-analysts"], "email": "ann@force.test"})
    browser.get(f"{url}/explorer")
    search = _wait(browser).until(
        ec.element_to_be_clickable((By.CSS_SELECTOR, "input[aria-label^='Person, incident']"))
    )
    search.send_keys("P1")
    browser.find_element(By.XPATH, "//button[.//p[text()='Explore']]").click()
    _wait(browser).until(ec.presence_of_element_located((By.CSS_SELECTOR, "iframe[srcdoc]")))
    trail = audit.events(audit_dir, user="ann@force.test")
    assert ("explorer.centre", ["P1"]) in zip(trail["action"], trail["person_ids"], strict=True)
    assert "app.sign_in" in set(trail["action"])
    assert audit.verify(audit_dir).ok
