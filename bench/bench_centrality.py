"""Time the network measures on networkx and igraph, on co-offending graphs of growing size.

Each size is a number of incidents. The script draws synthetic loader tables (incidents and
involvements with a heavy-tailed offending rate: most people offend once, a few very often;
most incidents have one offender, some up to eight), projects them with
``co_offending_graph`` (timed), then times every measure through graphvc's own functions
with ``engine="networkx"`` and ``engine="igraph"`` (the igraph time includes copying the
graph into igraph, as every call does). networkx runs are skipped above the node counts in
``NETWORKX_MAX_NODES``, and all-pairs closeness above ``CLOSENESS_MAX_NODES`` on either
engine, so that the whole run stays near ten minutes; skipped cells print as ``-``.

It prints a table as it goes and, last, one JSON line with every figure and ratio.

Usage::

    .venv/bin/python bench/bench_centrality.py                       # 2k, 10k, 100k, 1M incidents
    .venv/bin/python bench/bench_centrality.py --incidents 2000 10000
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
import warnings
from collections.abc import Callable
from typing import Any

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd

from graphvc.analysis import (
    betweenness,
    closeness,
    co_offending_graph,
    degree,
    eigenvector,
    harmonic_closeness,
    k_core,
    leiden,
    louvain,
    pagerank,
)
from graphvc.analysis._engine import to_igraph

#: Above these node counts networkx is not run (minutes to hours each).
NETWORKX_MAX_NODES = {
    "betweenness": 200_000,
    "closeness": 3_000,
    "harmonic_closeness": 3_000,
    "louvain": 200_000,
}
#: Exact closeness is all-pairs shortest paths: above this even igraph takes minutes.
CLOSENESS_MAX_NODES = 20_000
PIVOTS = 64
OFFENCES = ["violence_with_injury", "violence_without_injury", "personal_robbery", "harassment"]


def synthetic_tables(incidents: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Incidents and involvements shaped like police data: a person pool of 0.8 per incident,
    offending rates drawn from a Zipf-like law, 1–8 offenders and one victim per incident."""
    rng = np.random.default_rng(seed)
    people = int(0.8 * incidents)
    rate = 1 / (np.arange(people) + 10.0) ** 0.6
    rate /= rate.sum()
    sizes = rng.choice(
        np.arange(1, 9), size=incidents, p=[0.65, 0.2, 0.08, 0.035, 0.015, 0.01, 0.006, 0.004]
    )
    incident_of = np.repeat(np.arange(incidents), sizes)
    offender = rng.choice(people, size=incident_of.size, p=rate)
    victim = rng.integers(people, 2 * people, size=incidents)
    days = rng.integers(0, 3 * 365, size=incidents)
    table = pd.DataFrame(
        {
            "incident_id": "I" + pd.Series(np.arange(incidents)).astype(str),
            "occurred_at": (pd.Timestamp("2022-01-01") + pd.to_timedelta(days, unit="D")).strftime(
                "%Y-%m-%d"
            ),
            "offence": rng.choice(OFFENCES, size=incidents),
        }
    )
    involvements = pd.DataFrame(
        {
            "person_id": "P" + pd.Series(np.concatenate([offender, victim])).astype(str),
            "incident_id": "I"
            + pd.Series(np.concatenate([incident_of, np.arange(incidents)])).astype(str),
            "role": ["offender"] * offender.size + ["victim"] * incidents,
        }
    ).drop_duplicates()
    return table, involvements


def timed(run: Callable[[], Any]) -> tuple[float, Any]:
    gc.collect()
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


def modularity(G: nx.Graph, labels: pd.Series) -> float:
    groups = [set(members) for members in labels.groupby(labels).groups.values()]
    return float(nx.community.modularity(G, groups, weight=None))


def bench_size(incidents: int, seed: int, report: Callable[[dict[str, Any]], None]) -> None:
    tables = synthetic_tables(incidents, seed)
    seconds, G = timed(lambda: co_offending_graph(*tables))
    n, m = G.number_of_nodes(), G.number_of_edges()
    giant = max((len(c) for c in nx.connected_components(G)), default=0)
    base = {"incidents": incidents, "nodes": n, "edges": m, "giant_component": giant}
    report({**base, "measure": "co_offending_graph (projection)", "single_s": seconds})
    report({**base, "measure": "to_igraph (copy)", "single_s": timed(lambda: to_igraph(G))[0]})
    report({**base, "measure": "degree", "single_s": timed(lambda: degree(G))[0]})
    pr_graphvc = timed(lambda: pagerank(G))[0]
    pr_nx = timed(lambda: nx.pagerank(G))[0]
    g = to_igraph(G)
    pr_ig = timed(lambda: g.pagerank())[0]
    report(
        {
            **base,
            "measure": "pagerank (graphvc GDS; nx/igraph own defs)",
            "single_s": pr_graphvc,
            "networkx_s": pr_nx,
            "igraph_s": pr_ig,
        }
    )

    measures: list[tuple[str, Callable[[str], pd.Series]]] = [
        (f"betweenness (k={PIVOTS}, hops)", lambda e: betweenness(G, k=PIVOTS, seed=1, engine=e)),
        (
            f"betweenness (k={PIVOTS}, distance)",
            lambda e: betweenness(G, k=PIVOTS, seed=1, weight="distance", engine=e),
        ),
        ("closeness", lambda e: closeness(G, engine=e)),
        ("harmonic_closeness", lambda e: harmonic_closeness(G, engine=e)),
        ("eigenvector", lambda e: eigenvector(G, engine=e)),
        ("k_core", lambda e: k_core(G, engine=e)),
        ("louvain", lambda e: louvain(G, seed=1, weight="incidents", engine=e)),
    ]
    for name, run in measures:
        key = name.split(" ")[0]
        row: dict[str, Any] = {**base, "measure": name}
        results = {}
        for engine in ("networkx", "igraph"):
            too_big = (engine == "networkx" and n > NETWORKX_MAX_NODES.get(key, n)) or (
                "closeness" in key and n > CLOSENESS_MAX_NODES
            )
            if not too_big:
                row[f"{engine}_s"], results[engine] = timed(lambda e=engine, r=run: r(e))
        if len(results) == 2:
            row["speedup"] = row["networkx_s"] / row["igraph_s"]
            if key == "louvain":
                row["modularity"] = [round(modularity(G, results[e]), 4) for e in results]
            else:
                row["max_abs_diff"] = float((results["networkx"] - results["igraph"]).abs().max())
        report(row)
    for iterations in (2, None):
        seconds, labels = timed(
            lambda i=iterations: leiden(G, seed=1, weight="incidents", iterations=i)
        )
        passes = "until stable" if iterations is None else f"{iterations} passes"
        report(
            {
                **base,
                "measure": f"leiden (igraph, {passes})",
                "single_s": seconds,
                "modularity": [round(modularity(G, labels), 4)],
            }
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--incidents", type=int, nargs="+", default=[2_000, 10_000, 100_000, 1_000_000]
    )
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore", category=RuntimeWarning)  # igraph: disconnected graph

    rows: list[dict[str, Any]] = []
    header = (
        f"{'incidents':>9} {'nodes':>8} {'edges':>8}  {'measure':<44}"
        f"{'networkx s':>11} {'igraph s':>9} {'single s':>9} {'speedup':>8}"
    )
    print(header)

    def cell(row: dict[str, Any], key: str, fmt: str) -> str:
        return format(row[key], fmt) if key in row else "-"

    def report(row: dict[str, Any]) -> None:
        rows.append(row)
        print(
            f"{row['incidents']:>9} {row['nodes']:>8} {row['edges']:>8}  {row['measure']:<44}"
            f"{cell(row, 'networkx_s', '.3f'):>11} {cell(row, 'igraph_s', '.3f'):>9}"
            f"{cell(row, 'single_s', '.3f'):>9} {cell(row, 'speedup', '.1f'):>8}",
            flush=True,
        )

    for incidents in args.incidents:
        bench_size(incidents, args.seed, report)
    print(
        json.dumps(
            {
                "bench": "centrality",
                "python_igraph": ig.__version__,
                "networkx": nx.__version__,
                "pivots": PIVOTS,
                "networkx_max_nodes": NETWORKX_MAX_NODES,
                "closeness_max_nodes": CLOSENESS_MAX_NODES,
                "results": rows,
            }
        )
    )


if __name__ == "__main__":
    sys.exit(main())
