"""The explorer's ego view, in this process: graphvc's hop-by-hop capped expansion against one
unbounded query (``bench_explorer`` times the same view in a browser, as an analyst sees it).

For centres of each kind (a typical person, the busiest person, location, ward and borough)
it times the view the app draws: the ego network (``graphvc.explore.ego_network``: one
bounded query per hop, capped at ``MAX_NODES`` nodes) plus the pyvis HTML
(``graphvc.app.network_view.network_html``). The baseline is what a first explorer would do:
one variable-length Cypher query ``(c)-[*1..hops]-(m)`` returning every path, unbounded,
deduplicated in Python and drawn whole. Both run in this process against the benchmark's own
server (``bench/_server.py``) on the graph already loaded there; times are the median of
``--repeat`` runs after one warm-up, so the page cache is warm for both. Prints a table and,
last, one JSON line.

    python -m bench.bench_explorer_query              # on what the benchmark server holds
    python -m bench.bench_explorer_query --load 100000  # first load a synthetic London if it is empty
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from typing import Any

import neo4j
import pandas as pd

from bench._server import bench_driver
from graphvc.app.network_view import network_html
from graphvc.db import run_query
from graphvc.errors import QueryError
from graphvc.explore import MAX_NODES, EgoNetwork, ego_network
from graphvc.schema import apply_schema, graph_counts

#: The centres: a name and a query returning the id of one node of that kind.
CENTRES = {
    "typical person": "MATCH (p:Person) WITH p, COUNT { (p)--() } AS degree "
    "WITH collect({id: p.id, degree: degree}) AS people, "
    "percentileDisc(degree, 0.5) AS median "
    "UNWIND people AS person WITH person WHERE person.degree = median "
    "RETURN person.id AS id ORDER BY id LIMIT 1",
    "busiest person": "MATCH (p:Person) RETURN p.id AS id ORDER BY COUNT { (p)--() } DESC, id LIMIT 1",
    "busiest location": "MATCH (l:Location) RETURN l.id AS id "
    "ORDER BY COUNT { (l)--() } DESC, id LIMIT 1",
    "busiest ward": "MATCH (w:Ward) RETURN w.code AS id ORDER BY COUNT { (w)--() } DESC, id LIMIT 1",
    "busiest borough": "MATCH (b:Borough) RETURN b.code AS id "
    "ORDER BY COUNT { (b)--() } DESC, id LIMIT 1",
}

#: The baseline: every path of up to ``hops`` relationships from the centre, no limit.
BASELINE = """
MATCH (c) WHERE elementId(c) = $element_id
MATCH path = (c)-[*1..{hops}]-(m)
RETURN [n IN nodes(path) | {{element_id: elementId(n), label: labels(n)[0],
          id: coalesce(n.id, n.code), category: n.category, harm: n.harm,
          score_priority: n.score_priority, score_betweenness: n.score_betweenness}}] AS nodes,
       [r IN relationships(path) | [elementId(startNode(r)), elementId(endNode(r)), type(r)]]
         AS links
"""


def baseline_network(
    driver: neo4j.Driver, element_id: str, hops: int, timeout: float
) -> EgoNetwork:
    paths = run_query(
        driver, BASELINE.format(hops=hops), {"element_id": element_id}, timeout=timeout
    )
    nodes: dict[str, dict[str, Any]] = {}
    links: set[tuple[str, str, str]] = set()
    for path_nodes, path_links in zip(paths["nodes"], paths["links"], strict=True):
        for hop, node in enumerate(path_nodes):
            if node["element_id"] not in nodes or nodes[node["element_id"]]["hop"] > hop:
                nodes[node["element_id"]] = {**node, "name": None, "hop": hop}
        links.update(tuple(link) for link in path_links)
    return EgoNetwork(
        pd.DataFrame(list(nodes.values())),
        pd.DataFrame(sorted(links), columns=["source", "target", "type"]),
        truncated=False,
    )


def timed(network_of: Callable[[], EgoNetwork], repeat: int) -> tuple[float, float, EgoNetwork]:
    """Build the network, then its HTML, ``repeat`` times after one warm-up.

    Returns the median seconds of the whole view and of the HTML alone, and the network.
    """
    network_html(network := network_of())
    totals, drawing = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        network = network_of()
        built = time.perf_counter()
        network_html(network)
        done = time.perf_counter()
        totals.append(done - started)
        drawing.append(done - built)
    return statistics.median(totals), statistics.median(drawing), network


def measure(
    driver: neo4j.Driver, kind: str, node_id: str, hops: int, repeat: int, timeout: float
) -> dict[str, Any]:
    ours_s, ours_html_s, ours = timed(
        lambda: ego_network(driver, node_id, hops=hops, timeout=timeout), repeat
    )
    row: dict[str, Any] = {
        "centre": kind,
        "id": node_id,
        "hops": hops,
        "nodes": len(ours.nodes),
        "links": len(ours.edges),
        "capped": ours.truncated,
        "seconds": round(ours_s, 4),
        "html_seconds": round(ours_html_s, 4),
    }
    centre = str(ours.nodes.at[0, "element_id"])
    try:
        base_s, base_html_s, base = timed(
            lambda: baseline_network(driver, centre, hops, timeout), repeat
        )
    except QueryError:  # ran past the timeout
        return row | {
            "baseline_nodes": None,
            "baseline_links": None,
            "baseline_seconds": None,
            "speedup": None,
        }
    return row | {
        "baseline_nodes": len(base.nodes),
        "baseline_links": len(base.edges),
        "baseline_seconds": round(base_s, 4),
        "baseline_html_seconds": round(base_html_s, 4),
        "speedup": round(base_s / ours_s, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per query")
    parser.add_argument(
        "--load",
        type=int,
        metavar="INCIDENTS",
        help="load a synthetic London of this size first if the graph is empty",
    )
    parser.add_argument("--three-hops", action="store_true", help="also time 3-hop views")
    args = parser.parse_args()

    driver, _ = bench_driver()
    try:
        counts = graph_counts(driver)
        if counts["Incident"] == 0:
            if not args.load:
                raise SystemExit(
                    "the benchmark graph is empty: run `python -m bench.bench_load --incidents "
                    "100000` or pass --load 100000"
                )
            from bench.bench_load import synthetic_folder
            from loaders.folder import load_folder

            apply_schema(driver)
            load_folder(driver, synthetic_folder(args.load, 1))
            counts = graph_counts(driver)
        centres = {
            kind: str(run_query(driver, query).at[0, "id"]) for kind, query in CENTRES.items()
        }
        cases = [(kind, node_id, 2) for kind, node_id in centres.items()]
        if args.three_hops:
            cases += [(kind, centres[kind], 3) for kind in ("typical person", "busiest person")]
        rows = []
        print(
            f"graph: {counts['Incident']:,} incidents, {counts['Person']:,} people; "
            f"node cap {MAX_NODES}; median of {args.repeat} runs"
        )
        header = (
            f"{'centre':<17}{'hops':>5}{'nodes':>7}{'capped':>8}{'ours s':>9}{'html s':>8}"
            f"{'base nodes':>11}{'base s':>9}{'speed-up':>10}"
        )
        print(header)
        for kind, node_id, hops in cases:
            row = measure(driver, kind, node_id, hops, args.repeat, args.timeout)
            rows.append(row)
            base = (
                "timeout" if row["baseline_seconds"] is None else f"{row['baseline_seconds']:.3f}"
            )
            speedup = "-" if row["speedup"] is None else f"{row['speedup']:.2f}x"
            print(
                f"{kind:<17}{hops:>5}{row['nodes']:>7}{'yes' if row['capped'] else 'no':>8}"
                f"{row['seconds']:>9.3f}{row['html_seconds']:>8.3f}"
                f"{row['baseline_nodes'] if row['baseline_nodes'] is not None else '-':>11}"
                f"{base:>9}{speedup:>10}"
            )
    finally:
        driver.close()
    two_hop = [row["seconds"] for row in rows if row["hops"] == 2]
    print(
        json.dumps(
            {
                "benchmark": "explorer",
                "incidents": counts["Incident"],
                "people": counts["Person"],
                "max_nodes": MAX_NODES,
                "repeat": args.repeat,
                "target_seconds": 1.0,
                "worst_two_hop_seconds": max(two_hop),
                "all_two_hop_under_target": max(two_hop) < 1.0,
                "cases": rows,
            }
        )
    )


if __name__ == "__main__":
    main()
