"""A shared link to a person's profile, end to end: the real app served by ``graphvc app``
with OpenID Connect sign-in (``tests/oidc_provider.py``), a stored run of the small fixture,
and headless Chromium opening ``/person?person=P1``.

Signed out, the link shows the sign-in page and nothing of the person; signed in as an
analyst, the same link opens the profile with its words, and the lookup is in the audit trail
under the signed-in user. Set ``GRAPHVC_TEST_SCREENSHOT_PROFILE`` to a path to keep the
screenshot of the profile (docs/images/person-profile.png is taken so).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import neo4j
import pandas as pd
import pytest

from graphvc import audit
from graphvc.config import Settings
from graphvc.graph_tables import read_graph_tables
from graphvc.profile import person_profile, profile_words
from graphvc.runs import AnalysisParameters, analyse, record_run
from graphvc.schema import apply_schema, wipe
from graphvc.stored_runs import list_runs
from loaders.folder import load_folder
from tests import oidc_provider
from tests.browser import chromium

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "tests" / "fixtures" / "small"


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
) -> Iterator[tuple[str, Path, list[str]]]:
    """The app with sign-in over the small graph and its stored run: (its URL, its audit
    folder, P1's words as the library says them)."""
    wipe(empty_graph)
    apply_schema(empty_graph)
    load_folder(empty_graph, SMALL)
    folder = tmp_path_factory.mktemp("deep_link")
    runs = folder / "runs"
    result = analyse(
        read_graph_tables(empty_graph), AnalysisParameters(as_of=pd.Timestamp("2025-01-03"))
    )
    record_run(empty_graph, result, runs_dir=runs, finished_at=datetime(2026, 1, 1, tzinfo=UTC))
    words = profile_words(
        person_profile(empty_graph, "P1", run=list_runs(empty_graph)[0], runs_dir=runs)
    )
    with oidc_provider.signed_app(folder, provider, test_settings, GRAPHVC_RUNS_DIR=str(runs)) as (
        url,
        audit_dir,
    ):
        yield url, audit_dir, words


def _wait(browser: object):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, 30)


def _settled(browser) -> str:
    """The page's title (its first heading; empty for a page that is shut), once drawn."""
    from selenium.webdriver.common.by import By

    _wait(browser).until(
        lambda b: (
            b.find_elements(By.TAG_NAME, "h1")
            or b.find_elements(By.CSS_SELECTOR, "[data-testid='stAlert']")
        )
    )
    _wait(browser).until(
        lambda b: not b.find_elements(By.CSS_SELECTOR, "[data-testid='stStatusWidget']")
    )
    titles = browser.find_elements(By.TAG_NAME, "h1")
    return str(titles[0].text) if titles else ""


def _sign_in(browser, url: str, user: str, claims: str) -> None:
    """Sign in through the provider's form from the page shown (its Sign in button); back at
    ``url``, the app's first page."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    _wait(browser).until(
        ec.element_to_be_clickable((By.XPATH, "//button[.//p[text()='Sign in']]"))
    ).click()
    _wait(browser).until(ec.presence_of_element_located((By.NAME, "username"))).send_keys(user)
    browser.find_element(By.NAME, "claims").send_keys(claims)
    browser.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    _wait(browser).until(lambda b: b.current_url.startswith(url))
    _settled(browser)


def test_a_shared_link_opens_the_profile_after_sign_in_and_is_audited(
    signed_app: tuple[str, Path, list[str]], tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    url, audit_dir, words = signed_app
    link = f"{url}/person?person=P1"
    with chromium(tmp_path / "profile", height=1600) as browser:
        browser.get(link)
        # Signed out, on a fresh server's first request: the router's sign-in page, never
        # the person (a page folder named pages/ was served without the router until the
        # router had run once: the page shut, "nobody is signed in").
        assert _settled(browser) == "graphvc"
        main = browser.find_element(By.TAG_NAME, "main").text
        assert "Sign in to continue" in main, main
        assert "Person P1" not in main and words[0] not in main, main
        _sign_in(browser, url, "u-4711", '{"groups": ["vc-analysts"], "email": "ann@force.test"}')
        # Back from the provider, the app opens the link itself: no one opens it again.
        _wait(browser).until(lambda b: b.current_url == link)
        assert _settled(browser) == "Person profile"
        _wait(browser).until(lambda b: words[0] in b.find_element(By.TAG_NAME, "main").text)
        shown = browser.find_element(By.TAG_NAME, "main").text
        assert all(sentence in shown for sentence in words), shown
        assert "Person P1" in shown
        shot = tmp_path / "person-profile.png"
        assert browser.save_screenshot(str(shot))
        if os.environ.get("GRAPHVC_TEST_SCREENSHOT_PROFILE"):
            shutil.copyfile(shot, os.environ["GRAPHVC_TEST_SCREENSHOT_PROFILE"])
    trail = audit.events(audit_dir, user="ann@force.test")
    looked_up = list(zip(trail["action"], trail["person_ids"], strict=True))
    assert looked_up.count(("person.profile", ["P1"])) == 1
    assert audit.verify(audit_dir).ok
