"""Time the explorer's chart from loading its page to a still picture, in headless Chromium.

Builds a two-hop network around one person shaped like the explorer's (incidents, their
people and places, an association; ``--nodes`` nodes), renders it with
``graphvc.app.network_view.network_html`` -- or with another copy of that module given as
``--module FILE`` (e.g. the one of an earlier commit, ``git show <commit>:graphvc/app/
network_view.py > /tmp/old_view.py``) -- and opens the page ``--repeat`` times: the time
from navigation start until the picture stops moving (vis-network's physics off, or never
on, and a frame drawn). Prints one JSON line.

    python scripts/chart_settle.py --nodes 72
    python scripts/chart_settle.py --nodes 72 --module /tmp/old_view.py
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import statistics
import sys
import tempfile
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graphvc.explore import NODE_FIELDS, EgoNetwork
from tests.browser import chromium

#: Resolves when the picture is still: the physics is off (stabilised, or never on) and
#: vis-network has drawn a frame since.
SETTLED = """
const done = arguments[arguments.length - 1];
function still() {
  if (typeof network === 'undefined' || network.physics.options.enabled !== false) {
    return setTimeout(still, 20);
  }
  network.once('afterDrawing', () => done(performance.now()));
  network.redraw();
}
still();
"""


def two_hop_network(size: int, seed: int = 1) -> EgoNetwork:
    """A two-hop network of ``size`` nodes around person P0: incidents at hop 1 with their
    people and places at hop 2, one associate."""
    rng = random.Random(seed)
    nodes: list[dict] = []
    edges: list[tuple[str, str, str]] = []

    def node(label: str, hop: int, **values: object) -> str:
        element_id = f"e{len(nodes)}"
        row = dict.fromkeys(NODE_FIELDS) | {"element_id": element_id, "label": label}
        nodes.append(row | {"id": f"{label[0]}{len(nodes)}", "hop": hop} | values)
        return element_id

    centre = node("Person", 0, score_priority=0.9, score_priority_rank=1)
    categories = ["alcohol_related", "knife_enabled", "domestic_abuse", "personal_robbery"]
    associate = node("Person", 1, score_priority=0.4, score_priority_rank=12)
    edges.append((centre, associate, "ASSOCIATE_OF"))
    while len(nodes) < size:
        incident = node(
            "Incident",
            1,
            category=rng.choice(categories),
            occurred_at=f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T21:00:00Z",
        )
        edges.append((centre, incident, "OFFENDER_IN"))
        for _ in range(rng.randint(1, 4)):
            if len(nodes) >= size:
                break
            person = node(
                "Person", 2, score_priority=rng.random(), score_priority_rank=rng.randint(2, 900)
            )
            edges.append((person, incident, rng.choice(["OFFENDER_IN", "VICTIM_IN", "WITNESS_IN"])))
        if len(nodes) < size:
            edges.append((incident, node("Location", 2, name="On or near a street"), "OCCURRED_AT"))
    return EgoNetwork(
        pd.DataFrame(nodes), pd.DataFrame(edges, columns=["source", "target", "type"]), False
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=72)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--module", type=Path, help="another copy of network_view.py to time")
    args = parser.parse_args()
    if args.module:
        spec = importlib.util.spec_from_file_location("view_under_test", args.module)
        assert spec and spec.loader
        view = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(view)
    else:
        from graphvc.app import network_view as view
    network = two_hop_network(args.nodes)
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "chart.html"
        page.write_text(view.network_html(network), encoding="utf-8")
        times = []
        with chromium(Path(folder) / "profile", width=1400, height=900) as browser:
            browser.set_script_timeout(60)
            for _ in range(args.repeat):
                browser.get(page.as_uri())
                times.append(browser.execute_async_script(SETTLED) / 1000)
    print(
        json.dumps(
            {
                "nodes": len(network.nodes),
                "links": len(network.edges),
                "module": str(args.module or "graphvc.app.network_view"),
                "median_seconds": round(statistics.median(times), 3),
                "max_seconds": round(max(times), 3),
                "runs": [round(t, 3) for t in times],
            }
        )
    )


if __name__ == "__main__":
    main()
