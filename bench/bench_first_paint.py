"""The first paint of every app page in headless Chromium, on a stored run of a synthetic city.

Loads ``--incidents`` synthetic incidents into the benchmark server (unless it already holds
them), stores one analysis run as ``graphvc analyse`` does, serves the app against them, and
opens each page in a fresh browser on a fresh app process, then again in a new tab: the time
from asking for the page to its run header drawn with nothing left running (Streamlit's
status widget gone). The pages read the stored run, so no analysis runs on the way. Prints a
table and, last, one JSON line with the load average (the machine may be shared).

    python -m bench.bench_first_paint --incidents 50000
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from bench._server import ROOT, bench_driver
from bench.bench_load import synthetic_folder
from graphvc.app import PAGES
from graphvc.app.server import HEALTH, free_port, running, streamlit_command
from graphvc.runs import AnalysisParameters, obtain_run, record_run
from graphvc.schema import apply_schema, graph_counts, wipe
from graphvc.stored_runs import list_runs
from loaders.folder import load_folder

RUNS_DIR = ROOT / ".graphvc" / "bench" / "runs"


@contextmanager
def _served(env: dict[str, str]) -> Iterator[str]:
    """The app served on a free port against the benchmark server, until the block ends; its
    URL."""
    port = free_port()
    command = streamlit_command("app.py", port=port)
    url = f"http://127.0.0.1:{port}"
    with running(command, url + HEALTH, env={**os.environ, **env}, cwd=ROOT):
        yield url


def _first_paints(url: str, profile: Path) -> tuple[float, float]:
    """Seconds to the page's first paint at ``url`` on a fresh app process, then on a second
    visit in a new tab (the process's imports and caches warm)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--window-size=1400,1500",
    ):
        options.add_argument(flag)
    browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)

    def painted(b: webdriver.Chrome) -> bool:
        header = b.find_elements(By.XPATH, "//*[contains(text(), 'Analysis as of')]")
        running = b.find_elements(By.CSS_SELECTOR, "[data-testid='stStatusWidget']")
        return bool(header) and not running

    try:
        seconds = []
        for visit in range(2):
            if visit:
                browser.switch_to.new_window("tab")
            started = time.perf_counter()
            browser.get(url)
            WebDriverWait(browser, 180, poll_frequency=0.05).until(painted)
            seconds.append(time.perf_counter() - started)
        return seconds[0], seconds[1]
    finally:
        browser.quit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    folder = synthetic_folder(args.incidents, args.seed)
    driver, settings = bench_driver()
    try:
        if graph_counts(driver)["Incident"] != args.incidents:
            wipe(driver)
            apply_schema(driver)
            load_folder(driver, folder)
        if not list_runs(driver) or not (RUNS_DIR / list_runs(driver)[0].id).is_dir():
            result = obtain_run(driver, AnalysisParameters(seed=args.seed)).result
            record_run(driver, result, runs_dir=RUNS_DIR, finished_at=datetime.now(UTC))
        people = list_runs(driver)[0].rows["people"]
    finally:
        driver.close()
    env = {
        "NEO4J_URI": settings.uri,
        "NEO4J_USERNAME": settings.neo4j_username,
        "NEO4J_PASSWORD": settings.neo4j_password,
        "GRAPHVC_RUNS_DIR": str(RUNS_DIR),
        "GRAPHVC_REPORTS_DIR": str(RUNS_DIR / "no-reports"),
    }
    cold: dict[str, float] = {}
    warm: dict[str, float] = {}
    for name, _, _ in PAGES:
        with _served(env) as url, tempfile.TemporaryDirectory() as profile:
            path = "" if name == "overview" else name
            first, second = _first_paints(f"{url}/{path}", Path(profile))
            cold[name], warm[name] = round(first, 2), round(second, 2)
        print(f"{name:<12} {cold[name]:>6.2f} s on a fresh app, {warm[name]:>6.2f} s again")
    load = os.getloadavg()[0]
    print(
        json.dumps(
            {
                "benchmark": "first_paint",
                "incidents": args.incidents,
                "people_scored": people,
                "cold_seconds": cold,
                "warm_seconds": warm,
                "slowest_warm": max(warm.values()),
                "load_average": round(load, 1),
            },
            sort_keys=True,
        )
    )


if __name__ == "__main__":
    main()
