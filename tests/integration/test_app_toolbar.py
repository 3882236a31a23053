"""The app as served shows its readers no "Deploy" button and no developer menu (rerun,
clear cache): Streamlit shows them on 127.0.0.1 unless told the toolbar is a viewer's."""

from __future__ import annotations

import os
from pathlib import Path

import neo4j
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from graphvc.app.server import HEALTH, free_port, running, streamlit_command
from graphvc.config import Settings
from tests.browser import chromium

ROOT = Path(__file__).resolve().parents[2]


def test_the_served_app_has_no_deploy_button_or_developer_menu(
    empty_graph: neo4j.Driver, test_settings: Settings, tmp_path: Path
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "NEO4J_URI": test_settings.uri,
        "NEO4J_USERNAME": test_settings.neo4j_username,
        "NEO4J_PASSWORD": test_settings.neo4j_password,
        "NEO4J_DATABASE": test_settings.neo4j_database,
    }
    command = streamlit_command("app.py", port=port)
    served = running(command, url + HEALTH, env=env, cwd=ROOT, timeout=60)
    with served, chromium(tmp_path / "profile") as browser:
        wait = WebDriverWait(browser, 60)
        browser.get(url)
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "[data-testid='stToolbar']")))
        # The app has drawn its first page (its title) before the toolbar is judged.
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "h1")))
        found = browser.find_elements(By.CSS_SELECTOR, "[data-testid='stAppDeployButton']")
        assert found == []
        assert "Deploy" not in browser.find_element(By.CSS_SELECTOR, "header").text
        # The menu keeps a viewer's items (print, record) and loses the developer's.
        browser.find_element(By.CSS_SELECTOR, "[data-testid='stMainMenu'] button").click()
        menu = wait.until(
            ec.presence_of_element_located((By.CSS_SELECTOR, "[data-testid='stMainMenuList']"))
        )
        labels = [
            item.text
            for item in menu.find_elements(By.CSS_SELECTOR, "[data-testid='stMainMenuItemLabel']")
        ]
        assert "Print" in labels
        assert not {"Rerun", "Clear cache"} & set(labels), labels
        assert "Rerun" not in menu.text and "Clear cache" not in menu.text
