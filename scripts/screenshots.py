"""Screenshots of the app's pages in headless Chromium, for the docs.

Serve the app first (``graphvc app --port 8501``), then::

    .venv/bin/python scripts/screenshots.py http://127.0.0.1:8501 docs/city overview places

writes ``docs/city-overview.png`` and ``docs/city-places.png``. Needs Debian's ``chromium``
and ``chromium-driver`` (``scripts/install-browser.sh``).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser import chromium


def screenshot(url: str, out: Path, pages: list[str]) -> list[Path]:
    """Open each page of the app at ``url``, wait for its pictures to draw, and save a PNG."""
    written = []
    with tempfile.TemporaryDirectory() as profile, chromium(Path(profile), height=1400) as browser:
        wait = WebDriverWait(browser, 60)
        for page in pages:
            browser.get(f"{url}/{'' if page == 'overview' else page}")
            wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "svg[role='img'], canvas")))
            wait.until(
                lambda b: not b.find_elements(By.CSS_SELECTOR, "[data-testid='stStatusWidget']")
            )
            # The tables' canvases (and any WebGL map) draw after the page settles.
            time.sleep(3)
            path = out.parent / f"{out.name}-{page}.png"
            browser.save_screenshot(str(path))
            written.append(path)
    return written


if __name__ == "__main__":
    for written in screenshot(sys.argv[1], Path(sys.argv[2]), sys.argv[3:]):
        print(written)
