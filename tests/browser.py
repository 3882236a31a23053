"""Headless Chromium for the browser tests: Debian's Chromium through its ChromeDriver
(``scripts/install-browser.sh`` installs both)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

#: What keeps Chromium quiet and alone: no sandbox (a container), no GPU, no background
#: updates or sync, no first-run dialog.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


@contextmanager
def chromium(profile: Path, *, width: int = 1400, height: int = 1500) -> Iterator[Any]:
    """A headless Chromium with the profile folder ``profile`` (its own cookies) and a
    window of ``width`` x ``height`` pixels, quit when the block ends."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in (*FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}"):
        options.add_argument(flag)
    browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        yield browser
    finally:
        browser.quit()
