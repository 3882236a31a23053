"""Several analysts at once: B headless browsers on the app while ``graphvc analyse`` runs.

On the benchmark's own server (``bench/_server.py``), the synthetic city of N incidents is
bulk-loaded into a new, empty database as ``bench_scale`` does (or the graph already there is
kept, when it was loaded here with the same incidents and seed and its counts still match),
and ``graphvc analyse`` runs once so that the pages have a stored run. Then, for each browser
count B in turn, the app is served afresh and B headless Chromiums (each its own profile)
open, in a loop for ``--seconds``, every page of the app (``graphvc.app.PAGES``) and the
explorer centred on the three people ranked first by priority. The explorer takes no centre
from its URL, so each explorer view is its page opened, the person's id typed into the
search and *Explore* pressed; it counts as rendered once the network is drawn and the script
has run to its end. The ``--seconds`` start once every browser has drawn a first, untimed
page; ten seconds in (a quarter in, when shorter), ``graphvc analyse`` runs once beside the
browsers (its own end-to-end seconds: ``analyse_s``; it writes scores back and stores a new
run while the pages read).

Each page's time is from asking for it to its first full render (``bench_scale``'s check),
in a tab that held a blank page; per page, the p50 and p95 over all browsers and loops. An
error is a page that shows a Streamlit exception or error element, or that has not rendered
within ``--page-timeout`` (goal: none). Memory: the app's process tree (``graphvc app`` and
its Streamlit), its summed resident memory sampled every half second while it is served,
and Neo4j's peak resident memory over the same time (its high-water mark, reset as the app
starts). Prints a table and, last, one
JSON line; ``--save`` also writes it to ``bench/results/concurrent-N.json``.

    python -m bench.bench_concurrent --incidents 1000000 --browsers 5 --browsers 10 --save
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import neo4j

from bench._server import ROOT, bench_driver, new_empty_database
from bench.bench_load import synthetic_folder
from bench.bench_scale import (
    _APP,
    _RENDERED,
    _env,
    _graphvc,
    _provenance,
    _server_peak_rss_mb,
)
from graphvc import localserver
from graphvc.app import PAGES
from graphvc.app.server import HEALTH, free_port, running
from graphvc.config import Settings
from graphvc.db import run_query
from graphvc.schema import graph_counts
from loaders.bulk import write_bulk
from loaders.folder import validate_folder
from tests.browser import chromium

RESULTS = ROOT / "bench" / "results"
#: What the kept graph was loaded from, beside the benchmark server's data.
MARK = "concurrent-graph.json"
#: The people the explorer views are centred on: the first three by priority.
RANKED = (
    "MATCH (p:Person) WHERE p.score_priority IS NOT NULL "
    "RETURN p.id AS id ORDER BY p.score_priority DESC, id LIMIT 3"
)
#: What Streamlit draws for an uncaught exception and for ``st.error``.
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'
SEARCH = "input[aria-label^='Person, incident']"
EXPLORE = "//button[.//p[text()='Explore']]"
#: Seconds after the window opens that ``graphvc analyse`` starts beside them.
ANALYSE_AFTER_S = 10.0


def _loaded_counts(driver: neo4j.Driver) -> dict[str, int]:
    """The graph's counts but its stored runs: every ``graphvc analyse`` adds one."""
    return {kind: n for kind, n in graph_counts(driver).items() if kind != "AnalysisRun"}


def graph_loaded(
    driver: neo4j.Driver, settings: Settings, incidents: int, seed: int
) -> dict[str, int]:
    """The graph's counts, after loading the synthetic city into a new, empty database unless
    the graph there was loaded from the same incidents and seed and still counts the same."""
    mark = settings.home / MARK
    counts = _loaded_counts(driver)
    if mark.is_file() and json.loads(mark.read_text()) == {
        "incidents": incidents,
        "seed": seed,
        "graph": counts,
    }:
        return counts
    mark.unlink(missing_ok=True)
    folder = synthetic_folder(incidents, seed)
    new_empty_database(driver, settings)
    valid, summary = validate_folder(folder, driver=driver)
    write_bulk(driver, settings, valid, summary)
    counts = _loaded_counts(driver)
    mark.write_text(json.dumps({"incidents": incidents, "seed": seed, "graph": counts}))
    return counts


def _rss_kb(pid: int) -> int:
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:  # the process has ended
        return 0
    return next((int(line.split()[1]) for line in lines if line.startswith("VmRSS:")), 0)


def _group(pgid: int) -> list[int]:
    """The processes of process group ``pgid``: the app's tree (it runs in its own session)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:
            members.append(int(stat.parent.name))
    return members


@contextmanager
def tree_peak_rss(pgid: int, every: float = 0.5) -> Iterator[list[float]]:
    """The peak, in MB, of the summed resident memory of process group ``pgid``, sampled
    every ``every`` seconds until the block ends (the one-item list then holds it)."""
    peak = [0.0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(every):
            rss = sum(_rss_kb(pid) for pid in _group(pgid)) / 1024
            peak[0] = max(peak[0], round(rss, 1))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        yield peak
    finally:
        stop.set()
        sampler.join()


def reset_peak_rss(pid: int | None) -> bool:
    """Reset the process's high-water mark of resident memory (Linux ``clear_refs`` 5), so
    that ``VmHWM`` is the peak from now on; whether it could."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except (OSError, TypeError):
        return False
    return True


def _render(browser: Any, url: str, timeout: float, then: Callable[[Any], None] | None) -> float:
    """Seconds from asking for ``url`` (in a tab that held a blank page) to its full render;
    ``then`` acts on the rendered page (the explorer's search) and is waited for too."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(browser, timeout, poll_frequency=0.1)
    browser.get("about:blank")
    started = time.perf_counter()
    browser.get(url)
    wait.until(lambda b: b.execute_script(_RENDERED))
    if then is not None:
        then(browser)
        wait.until(
            lambda b: (
                b.find_elements(By.CSS_SELECTOR, "iframe[srcdoc]") and b.execute_script(_RENDERED)
            )
        )
    return time.perf_counter() - started


def _explore(person: str, timeout: float) -> Callable[[Any], None]:
    """Type ``person`` into the explorer's search and press *Explore*."""

    def search(browser: Any) -> None:
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions as ec
        from selenium.webdriver.support.ui import WebDriverWait

        box = WebDriverWait(browser, timeout).until(
            ec.element_to_be_clickable((By.CSS_SELECTOR, SEARCH))
        )
        box.send_keys(person)
        browser.find_element(By.XPATH, EXPLORE).click()

    return search


class Window:
    """The time the browsers are measured: it opens once every browser has started and
    drawn its first, untimed page, and lasts ``seconds``."""

    def __init__(self, browsers: int, seconds: float, timeout: float) -> None:
        self.opened = threading.Event()
        self.until = 0.0
        self._seconds = seconds
        self._all_ready = threading.Barrier(browsers, action=self._open, timeout=timeout)

    def _open(self) -> None:
        self.until = time.monotonic() + self._seconds
        self.opened.set()

    def ready(self) -> None:
        """Wait for the other browsers (``threading.BrokenBarrierError`` when one failed)."""
        self._all_ready.wait()

    def abort(self) -> None:
        """A browser failed: the others stop waiting for it."""
        self._all_ready.abort()


class Tally:
    """The paints and errors of every browser, by view; safe to add to from many threads."""

    def __init__(self) -> None:
        self.paints: dict[str, list[float]] = defaultdict(list)
        self.errors: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def paint(self, view: str, seconds: float) -> None:
        with self._lock:
            self.paints[view].append(seconds)

    def error(self, view: str, browser: int, what: str) -> None:
        with self._lock:
            self.errors.append({"view": view, "browser": browser, "what": what[:300]})


def browse(
    url: str,
    views: dict[str, tuple[str, Callable[[Any], None] | None]],
    profile: Path,
    number: int,
    window: Window,
    timeout: float,
    tally: Tally,
) -> None:
    """One analyst: open the views in turn, starting at a different one for each browser,
    while the window lasts, adding each paint or error to ``tally``."""
    from selenium.common.exceptions import TimeoutException, WebDriverException
    from selenium.webdriver.common.by import By

    order = list(views)
    order = order[number % len(order) :] + order[: number % len(order)]
    with chromium(profile) as browser:
        browser.set_page_load_timeout(timeout)
        # One page first, untimed: this browser's first session start is not a page's.
        _render(browser, f"{url}/cypher", timeout, None)
        window.ready()
        # Bounded by time, and by count should every view fail at once.
        for turn in range(100_000):
            if time.monotonic() >= window.until:
                return
            view = order[turn % len(order)]
            path, then = views[view]
            try:
                seconds = _render(browser, f"{url}/{path}", timeout, then)
            except TimeoutException:
                tally.error(view, number, f"not rendered within {timeout:g} s")
                continue
            except WebDriverException as e:
                tally.error(view, number, f"browser: {e.msg or e}")
                continue
            shown = browser.find_elements(By.CSS_SELECTOR, ERRORS)
            if shown:
                tally.error(view, number, " | ".join(element.text for element in shown))
            else:
                tally.paint(view, seconds)


@contextmanager
def analyse_beside(
    env: dict[str, str], opened: threading.Event, after: float
) -> Iterator[dict[str, Any]]:
    """``graphvc analyse`` started in the background ``after`` seconds after ``opened`` is
    set; when the block ends it is waited for (an hour at most, then stopped). The dict
    yielded then holds its seconds (``analyse_s``) or why it failed (``analyse_error``)."""
    import subprocess

    outcome: dict[str, Any] = {"analyse_s": None, "analyse_error": None}
    stop = threading.Event()
    process: list[subprocess.Popen[str]] = []

    def analyse() -> None:
        while not opened.wait(0.5):
            if stop.is_set():
                outcome["analyse_error"] = "not started: the browsers never all started"
                return
        if stop.wait(after):
            outcome["analyse_error"] = "not started: the browsers ended first"
            return
        started = time.perf_counter()
        process.append(
            subprocess.Popen(
                [sys.executable, "-m", "graphvc", "analyse", "--json"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
        _, stderr = process[0].communicate()
        if process[0].returncode == 0:
            outcome["analyse_s"] = round(time.perf_counter() - started, 2)
        else:
            outcome["analyse_error"] = stderr.strip()[-300:]

    beside = threading.Thread(target=analyse, daemon=True)
    beside.start()
    try:
        yield outcome
    finally:
        stop.set()
        beside.join(timeout=3600)
        if process and process[0].poll() is None:
            process[0].kill()
            process[0].wait()
            outcome["analyse_error"] = "stopped after an hour"


def _quantile(values: list[float], q: int) -> float | None:
    """The ``q``-th percentile (inclusive: within the values seen); None when there are none."""
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 2)
    return round(statistics.quantiles(values, n=100, method="inclusive")[q - 1], 2)


def under_load(
    env: dict[str, str],
    settings: Settings,
    views: dict[str, tuple[str, Callable[[Any], None] | None]],
    browsers: int,
    seconds: float,
    timeout: float,
    work: Path,
) -> dict[str, Any]:
    """``browsers`` browsers on a freshly served app for ``seconds``, ``graphvc analyse``
    beside them; the figures of this browser count."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    tally = Tally()
    # The window waits for every browser's first page, then lasts ``seconds``.
    window = Window(browsers, seconds, timeout=2 * timeout + 60)

    def analyst(number: int) -> None:
        try:
            browse(
                url, views, work / f"chromium-{browsers}-{number}", number, window, timeout, tally
            )
        except Exception as e:  # a browser that cannot start or dies: one error, not the run
            tally.error("browser", number, repr(e))
            window.abort()

    with (
        running([*_APP, str(port)], url + HEALTH, env=env, cwd=ROOT) as app,
        tree_peak_rss(app.pid) as app_peak,
    ):
        reset = reset_peak_rss(localserver.status(settings).pid)
        # Bounds every wait below: the start, the window, and one view that began at its end.
        deadline = time.monotonic() + 2 * timeout + 60 + seconds + 4 * timeout + 60
        after = min(ANALYSE_AFTER_S, seconds / 4)
        with analyse_beside(env, window.opened, after) as analysed:
            threads = [
                threading.Thread(target=analyst, args=(number,), daemon=True)
                for number in range(browsers)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=max(0.0, deadline - time.monotonic()))
            if any(thread.is_alive() for thread in threads):
                tally.error("browser", -1, "a browser did not stop in time")
    return {
        "pages": {
            view: {
                "p50_s": _quantile(tally.paints[view], 50),
                "p95_s": _quantile(tally.paints[view], 95),
                "paints": len(tally.paints[view]),
            }
            for view in views
        },
        "errors": len(tally.errors),
        "error_examples": tally.errors[:20],
        **analysed,
        "neo4j_peak_rss_mb": _server_peak_rss_mb(settings) if reset else None,
        "app_peak_rss_mb": app_peak[0],
    }


def explorer_views(driver: neo4j.Driver, timeout: float) -> dict[str, Any]:
    """The explorer centred on each of the people ranked first, by rank (no ids in the
    figures)."""
    people = run_query(driver, RANKED)["id"].astype(str)
    return {
        f"explorer: rank {rank}": ("explorer", _explore(person, timeout))
        for rank, person in enumerate(people, start=1)
    }


def run(
    incidents: int, seed: int, browser_counts: list[int], seconds: float, timeout: float
) -> dict[str, Any]:
    """The graph and a stored run, then each browser count in turn; the figures of the final
    JSON line."""
    figures: dict[str, Any] = {
        "benchmark": "concurrent",
        "incidents": incidents,
        "seed": seed,
        "seconds": seconds,
        "page_timeout_s": timeout,
        **_provenance(),
    }
    driver, settings = bench_driver()
    work = Path(tempfile.mkdtemp(prefix="bench-concurrent-", dir=settings.home))
    env = _env(settings, work)
    try:
        started = time.perf_counter()
        figures["graph"] = graph_loaded(driver, settings, incidents, seed)
        figures["load_s"] = round(time.perf_counter() - started, 2)
        figures["first_analyse_s"] = round(_graphvc(["analyse", "--json"], env)[0], 2)
        pages = {name: ("" if name == "overview" else name, None) for name, _t, _i in PAGES}
        views = {**pages, **explorer_views(driver, timeout)}
        figures["by_browsers"] = {}
        for browsers in browser_counts:
            figures["by_browsers"][str(browsers)] = under_load(
                env, settings, views, browsers, seconds, timeout, work
            )
            print(f"{browsers} browsers done", file=sys.stderr, flush=True)
        figures["neo4j_heap"], figures["neo4j_pagecache"] = settings.heap, settings.pagecache
    finally:
        driver.close()
        if settings.uses_local_server:
            localserver.stop(settings)
        shutil.rmtree(work, ignore_errors=True)
    return figures


def print_table(figures: dict[str, Any]) -> None:
    print(
        f"{figures['incidents']:,} incidents (seed {figures['seed']}); graph {figures['graph']}; "
        f"{figures['seconds']:g} s per browser count"
    )
    print(f"commit {figures['commit']}; machine {figures['machine']}")
    for browsers, load in figures["by_browsers"].items():
        print(f"\n{browsers} browsers")
        print(f"{'view':<22} {'p50 s':>8} {'p95 s':>8} {'paints':>7}")
        for view, paints in load["pages"].items():
            p50, p95 = (
                "-" if paints[q] is None else f"{paints[q]:.2f}" for q in ("p50_s", "p95_s")
            )
            print(f"{view:<22} {p50:>8} {p95:>8} {paints['paints']:>7}")
        analysed = (
            f"{load['analyse_s']:.2f} s" if load["analyse_s"] is not None else load["analyse_error"]
        )
        print(
            f"errors {load['errors']}; graphvc analyse beside: {analysed}; peak RSS: Neo4j "
            f"{load['neo4j_peak_rss_mb']} MB, app {load['app_peak_rss_mb']} MB"
        )
        for error in load["error_examples"]:
            print(f"  error: browser {error['browser']}, {error['view']}: {error['what']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--browsers",
        type=int,
        action="append",
        help="browsers at once; repeat for several counts, run in turn (default: 5, then 10)",
    )
    parser.add_argument("--seconds", type=float, default=300.0, help="seconds per browser count")
    parser.add_argument(
        "--page-timeout", type=float, default=120.0, help="seconds a page may take to render"
    )
    parser.add_argument(
        "--save",
        action="store_true",
        help=f"also write the JSON line to {RESULTS.relative_to(ROOT)}/concurrent-N.json",
    )
    args = parser.parse_args()
    figures = run(
        args.incidents, args.seed, args.browsers or [5, 10], args.seconds, args.page_timeout
    )
    print_table(figures)
    line = json.dumps(figures, sort_keys=True)
    if args.save:
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / f"concurrent-{args.incidents}.json").write_text(line + "\n", encoding="utf-8")
    print(line)


if __name__ == "__main__":
    main()
