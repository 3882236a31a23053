"""The whole job at one size: synth → bulk import → online load → analyse → report → app.

On the benchmark's own server (``bench/_server.py``), one phase after another, each timed:
the synthetic city of N incidents is written and validated (``validate_s``, once: both loads
take the same validated tables); the tables are loaded into a new, empty database by the
bulk first load (``graphvc load --bulk``: import files, offline import, server restart,
schema); the same tables are loaded online (``graphvc load``'s batched writer) into another
new, empty database (each load starts from the same state whatever the last run left:
``bench._server.new_empty_database``); ``graphvc analyse`` runs end to end (read, analyse,
write back); the analysis runs again in this process on the tables read from the graph (in
memory); ``graphvc report centrality`` writes its report; and the app is served and each
page's first full render timed in headless Chromium: in three rounds (``--paint-rounds``),
each a freshly started app and a fresh browser profile, after one untimed page (the app's
own start). A single first
paint on two cores varies by half a second, so each page's median is taken, and the slowest
page's median reported (``page_first_paint_s``; the slowest single paint also:
``page_first_paint_worst_s``). In the same rounds a bare Streamlit page
(``bench/bare_app.py``) is timed the same way: the floor under every page
(``page_floor_s``). The line also says which commit ran on which machine (``commit``,
``machine``: its processor, cores, memory and ``loop_s``, a fixed Python loop's seconds, to
tell a faster machine from faster code). Prints a table and, last, one JSON line;
``--save`` also writes that line to ``bench/results/scale-N.json``.

    python -m bench.bench_scale --incidents 100000 [--seed 1] [--save]

``--no-online-load`` skips the online load (about half an hour at 5,000,000 incidents, and
the transaction logs it leaves): the rest runs on the bulk-loaded graph, and
``online_load_s`` and ``bulk_speedup`` are null.

``--plot`` draws the saved runs (``bench/results/scale-*.json``) as ``docs/scaling.svg``:

    python -m bench.bench_scale --plot
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench._server import ROOT, bench_driver, new_empty_database
from bench.bench_load import synthetic_folder
from graphvc import localserver
from graphvc.app import PAGES
from graphvc.app.server import HEALTH, running
from graphvc.config import Settings
from graphvc.graph_tables import default_as_of, read_graph_tables
from graphvc.reports.charts import line_chart
from graphvc.runs import AnalysisParameters, analyse
from graphvc.schema import apply_schema, graph_counts
from loaders.bulk import write_bulk
from loaders.folder import validate_folder
from loaders.write import write_tables
from tests.browser import chromium

RESULTS = ROOT / "bench" / "results"
PLOT = ROOT / "docs" / "scaling.svg"
#: The phases of the final JSON line, in the order they run, with the table's names.
PHASES = {
    "bulk_import_s": "bulk first load (import files, import, restart, schema)",
    "online_load_s": "online load of the same tables, new empty database",
    "analyse_end_to_end_s": "graphvc analyse (read, analyse, write back)",
    "analyse_in_memory_s": "analysis on the tables already read",
    "report_s": "graphvc report centrality",
    "page_first_paint_s": "slowest app page, first full render (median)",
}


def _peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)


def _server_peak_rss_mb(settings: Settings) -> float | None:
    """The benchmark Neo4j's peak resident memory (VmHWM), when this machine runs it."""
    pid = localserver.status(settings).pid
    if pid is None:
        return None
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return None


def _env(settings: Settings, work: Path) -> dict[str, str]:
    """The environment of a graphvc command against the benchmark server."""
    return {
        **os.environ,
        "NEO4J_URI": settings.uri,
        "NEO4J_USERNAME": settings.neo4j_username,
        "NEO4J_PASSWORD": settings.neo4j_password,
        "NEO4J_DATABASE": settings.neo4j_database,
        "GRAPHVC_REPORTS_DIR": str(work / "reports"),
        "GRAPHVC_AUDIT_DIR": str(work / "audit"),
        "GRAPHVC_RUNS_DIR": str(work / "runs"),
    }


def _graphvc(arguments: list[str], env: dict[str, str]) -> tuple[float, str]:
    """Run one graphvc command to its end; its wall-clock seconds and its output."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "graphvc", *arguments],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"graphvc {' '.join(arguments)} failed: {done.stderr.strip()[-500:]}")
    return time.perf_counter() - started, done.stdout


def _provenance() -> dict[str, Any]:
    """Which code ran on which machine: the commit (with ``+changes`` when a tracked file
    other than the saved results differs from it), the processor, its cores, the memory
    (``memory_gb``, in GiB), and the seconds a fixed Python loop takes
    (``loop_s``, the best of three): machines of one kind differ, and runs on different
    machines compare second for second only as far as their ``loop_s`` agree."""

    def git(*arguments: str) -> str:
        try:
            done = subprocess.run(
                ["git", *arguments], cwd=ROOT, capture_output=True, text=True, check=False
            )
        except OSError:  # no git here
            return ""
        return done.stdout.strip() if done.returncode == 0 else ""

    commit = git("rev-parse", "--short", "HEAD") or None
    # The saved figures themselves (bench/results) are not a change to the code that ran.
    if commit and git(
        "status", "--porcelain", "--untracked-files=no", "--", ".", ":!bench/results"
    ):
        commit += "+changes"
    cpuinfo = Path("/proc/cpuinfo")
    models = (
        [
            line.split(":", 1)[1].strip()
            for line in cpuinfo.read_text().splitlines()
            if line.startswith("model name")
        ]
        if cpuinfo.is_file()
        else []
    )
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    loops = []
    for _ in range(3):
        started = time.perf_counter()
        sum(i * i for i in range(5_000_000))
        loops.append(time.perf_counter() - started)
    return {
        "commit": commit,
        "machine": {
            "processor": models[0] if models else platform.processor() or None,
            "cores": os.cpu_count(),
            "memory_gb": round(memory / 2**30, 1),
            "loop_s": round(min(loops), 3),
        },
    }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def _served(command: list[str], env: dict[str, str]) -> Iterator[str]:
    """A Streamlit app served by ``command`` (its port appended) on a free port (never 8501),
    until the block ends; its URL."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with running([*command, str(port)], url + HEALTH, env=env, cwd=ROOT):
        yield url


#: ``graphvc app``, and the bare app (``bench/bare_app.py``), each followed by its port.
_APP = [sys.executable, "-m", "graphvc", "app", "--address", "127.0.0.1", "--port"]
_BARE_APP = [
    sys.executable,
    "-m",
    "streamlit",
    "run",
    str(ROOT / "bench" / "bare_app.py"),
    "--server.headless",
    "true",
    "--browser.gatherUsageStats",
    "false",
    "--server.address",
    "127.0.0.1",
    "--server.port",
]


#: True once the page's script has run to its end and drawn something.
_RENDERED = (
    "const app = document.querySelector('[data-testid=\"stApp\"]');"
    "return app !== null && app.getAttribute('data-test-script-state') === 'notRunning'"
    ' && document.querySelector(\'[data-testid="stMainBlockContainer"] '
    '[data-testid="stElementContainer"]\') !== null;'
)


def page_first_paints(
    url: str, timeout: float, profile: Path, pages: dict[str, str], warm: str
) -> dict[str, float]:
    """Seconds from asking for each page (name: its path) to its first full render, in a
    fresh browser tab, after page ``warm`` untimed."""
    from selenium.webdriver.support.ui import WebDriverWait

    paints: dict[str, float] = {}
    with chromium(profile) as browser:
        # One page first, untimed: the app's own start (imports, the driver) is not a page's.
        browser.get(f"{url}/{warm}")
        WebDriverWait(browser, timeout, poll_frequency=0.1).until(
            lambda b: b.execute_script(_RENDERED)
        )
        for name, path in pages.items():
            browser.get("about:blank")
            started = time.perf_counter()
            browser.get(f"{url}/{path}")
            WebDriverWait(browser, timeout, poll_frequency=0.1).until(
                lambda b: b.execute_script(_RENDERED)
            )
            paints[name] = round(time.perf_counter() - started, 2)
    return paints


class _Figures(dict[str, Any]):
    """The figures, each phase's time also said on stderr as it ends (a long run that fails
    half-way still shows what it measured)."""

    def __setitem__(self, key: str, value: Any) -> None:
        super().__setitem__(key, value)
        if key.endswith("_s") and isinstance(value, float | int):
            print(f"{key} {value}", file=sys.stderr, flush=True)


def run(
    incidents: int, seed: int, page_timeout: float, paint_rounds: int = 3, online_load: bool = True
) -> dict[str, Any]:
    """Every phase at one size (the online load only when ``online_load``); the figures of the
    final JSON line (and more)."""
    figures: dict[str, Any] = _Figures(
        benchmark="scale", incidents=incidents, seed=seed, **_provenance()
    )
    started = time.perf_counter()
    folder = synthetic_folder(incidents, seed)
    figures["synth_s"] = round(time.perf_counter() - started, 2)
    driver, settings = bench_driver()
    work = Path(tempfile.mkdtemp(prefix="bench-scale-", dir=settings.home))
    env = _env(settings, work)
    try:
        new_empty_database(driver, settings)
        started = time.perf_counter()
        valid, summary = validate_folder(folder, driver=driver)
        figures["validate_s"] = round(time.perf_counter() - started, 2)
        started = time.perf_counter()
        write_bulk(driver, settings, valid, summary)
        figures["bulk_import_s"] = round(time.perf_counter() - started, 2)
        bulk_counts = graph_counts(driver)

        if online_load:
            new_empty_database(driver, settings)
            started = time.perf_counter()
            apply_schema(driver)
            write_tables(
                driver, valid, batch_size=settings.batch_size, workers=settings.load_workers
            )
            figures["online_load_s"] = round(time.perf_counter() - started, 2)
            figures["graph"] = graph_counts(driver)
            figures["same_counts"] = figures["graph"] == bulk_counts
        else:
            figures["graph"] = bulk_counts
            figures["online_load_s"] = figures["same_counts"] = None
        del valid

        seconds, output = _graphvc(["analyse", "--json"], env)
        figures["analyse_end_to_end_s"] = round(seconds, 2)
        # Where the end-to-end time went: reading, each measure, writing back, storing.
        figures["analyse_timings"] = json.loads(output)["timings"]
        as_of = default_as_of(driver)
        started = time.perf_counter()
        tables = read_graph_tables(driver)
        figures["read_graph_s"] = round(time.perf_counter() - started, 2)
        started = time.perf_counter()
        analyse(tables, AnalysisParameters(as_of=as_of))
        figures["analyse_in_memory_s"] = round(time.perf_counter() - started, 2)
        del tables

        out = work / "reports"
        figures["report_s"] = round(
            _graphvc(["report", "centrality", "--out", str(out), "--quiet"], env)[0], 2
        )
        pages = {name: "" if name == "overview" else name for name, _title, _icon in PAGES}
        rounds, floors = [], []
        for attempt in range(paint_rounds):
            with _served(_APP, env) as url:
                rounds.append(
                    page_first_paints(
                        url, page_timeout, work / f"chromium-{attempt}", pages, warm="cypher"
                    )
                )
            with _served(_BARE_APP, env) as url:
                floors.append(
                    page_first_paints(
                        url,
                        page_timeout,
                        work / f"bare-{attempt}",
                        {"bare": "second"},
                        warm="first",
                    )["bare"]
                )
        paints = {page: statistics.median(r[page] for r in rounds) for page in rounds[0]}
        figures["pages_s"] = paints
        figures["pages_rounds_s"] = {page: [r[page] for r in rounds] for page in paints}
        figures["page_first_paint_s"] = max(paints.values())
        figures["slowest_page"] = max(paints, key=lambda page: paints[page])
        figures["page_first_paint_worst_s"] = max(max(r.values()) for r in rounds)
        # The floor: a bare Streamlit page, timed the same way in the same rounds.
        figures["page_floor_s"] = statistics.median(floors)
        figures["page_floor_rounds_s"] = floors
        figures["peak_rss_mb"] = _peak_rss_mb()
        figures["children_peak_rss_mb"] = _peak_rss_mb(resource.RUSAGE_CHILDREN)
        figures["neo4j_peak_rss_mb"] = _server_peak_rss_mb(settings)
        figures["bulk_speedup"] = (
            round(figures["online_load_s"] / figures["bulk_import_s"], 1) if online_load else None
        )
        figures["neo4j_heap"], figures["neo4j_pagecache"] = settings.heap, settings.pagecache
    finally:
        driver.close()
        shutil.rmtree(work, ignore_errors=True)
    return figures


def print_table(figures: dict[str, Any]) -> None:
    print(f"{figures['incidents']:,} incidents (seed {figures['seed']}); graph {figures['graph']}")
    print(f"commit {figures['commit']}; machine {figures['machine']}")
    print(f"{'phase':<48} {'seconds':>10}")
    print(f"{'validation (the same for both loads)':<48} {figures['validate_s']:>10,.2f}")
    for key, label in PHASES.items():
        seconds = "not run" if figures[key] is None else f"{figures[key]:,.2f}"
        print(f"{label:<48} {seconds:>10}")
    for page, seconds in figures["pages_s"].items():
        rounds = ", ".join(f"{s:.2f}" for s in figures["pages_rounds_s"][page])
        print(f"  page {page:<42} {seconds:>10,.2f}  ({rounds})")
    print(
        f"slowest single first paint: {figures['page_first_paint_worst_s']:.2f} s; a bare "
        f"Streamlit page (the floor): {figures['page_floor_s']:.2f} s "
        f"({', '.join(f'{s:.2f}' for s in figures['page_floor_rounds_s'])})"
    )
    if figures["bulk_speedup"] is not None:
        print(
            f"bulk first load {figures['bulk_speedup']}x faster than online; "
            f"same counts: {figures['same_counts']}"
        )
    print(
        f"peak RSS: this process {figures['peak_rss_mb']:,} MB, graphvc commands "
        f"{figures['children_peak_rss_mb']:,} MB, Neo4j {figures['neo4j_peak_rss_mb']} MB "
        f"(heap {figures['neo4j_heap']}, page cache {figures['neo4j_pagecache']})"
    )


def plot(files: list[Path], out: Path) -> Path:
    """Seconds per phase against incidents, from the saved runs that ran every phase, as an
    SVG line chart."""
    saved = (json.loads(path.read_text().splitlines()[-1]) for path in files)
    runs = sorted(
        (figures for figures in saved if None not in map(figures.get, PHASES)),
        key=lambda figures: figures["incidents"],
    )
    if not runs:
        raise SystemExit(f"no saved runs in {RESULTS} (run with --save first)")
    svg = line_chart(
        [f"{figures['incidents']:,}" for figures in runs],
        {key.removesuffix("_s"): [figures[key] for figures in runs] for key in PHASES},
        title="graphvc at scale: seconds per phase by incidents",
    )
    out.write_text(svg + "\n", encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--page-timeout", type=float, default=600.0, help="seconds a page may take to render"
    )
    parser.add_argument(
        "--paint-rounds",
        type=int,
        default=3,
        help="fresh app and browser starts whose first paints are taken; "
        "each page's median is reported",
    )
    parser.add_argument(
        "--no-online-load",
        action="store_true",
        help="skip the online load (its figures are then null)",
    )
    parser.add_argument(
        "--save",
        action="store_true",
        help=f"also write the JSON line to {RESULTS.relative_to(ROOT)}/scale-N.json",
    )
    parser.add_argument(
        "--plot",
        action="store_true",
        help=f"draw the saved runs as {PLOT.relative_to(ROOT)} (and run nothing)",
    )
    args = parser.parse_args()
    if args.plot:
        print(f"wrote {plot(sorted(RESULTS.glob('scale-*.json')), PLOT)}")
        return
    figures = run(
        args.incidents,
        args.seed,
        args.page_timeout,
        args.paint_rounds,
        online_load=not args.no_online_load,
    )
    print_table(figures)
    line = json.dumps(figures, sort_keys=True)
    if args.save:
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / f"scale-{args.incidents}.json").write_text(line + "\n", encoding="utf-8")
    print(line)


if __name__ == "__main__":
    main()
