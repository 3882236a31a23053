"""Membership of text ids: pandas' ``Series.isin`` against graphvc's ``is_in``, side by side.

pandas 3 keeps text in Arrow (the ``str`` dtype), and its ``isin`` turns each wanted value
into an Arrow scalar in Python before Arrow's own membership test runs;
:func:`graphvc.analysis.events.is_in` hands the wanted values to Arrow as one array. The
shape is the 1,000,000-incident graph's: 2,300,000 involvements' person ids looked up among
760,000 (the offenders and suspects of ``absolute_victims``), and 830,000 persons among the
200,000 people a run scores (the run's ``persons`` table). Both answers are checked equal.
Prints a table and, last, one JSON line.

    .venv/bin/python -m bench.bench_is_in
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from graphvc.analysis.events import is_in

#: (name, rows looked up, wanted values, distinct ids) as at 1,000,000 incidents.
CASES = (
    ("involvements among offenders", 2_300_000, 760_000, 830_000),
    ("persons among the scored", 830_000, 200_000, 830_000),
)


def _isin(values: pd.Series, wanted: pd.Series) -> np.ndarray:
    return np.asarray(values.isin(wanted), dtype=bool)


def _best(
    membership: Callable[[pd.Series, pd.Series], np.ndarray],
    values: pd.Series,
    wanted: pd.Series,
    repeats: int = 3,
) -> tuple[float, np.ndarray]:
    """The best of ``repeats`` timings of ``membership(values, wanted)``, and its answer."""
    seconds = []
    for _ in range(repeats):
        started = time.perf_counter()
        answer = membership(values, wanted)
        seconds.append(time.perf_counter() - started)
    return min(seconds), answer


def main() -> None:
    rng = np.random.default_rng(1)
    figures: dict[str, dict[str, float]] = {}
    print(f"{'case':<32} {'pandas isin':>12} {'is_in':>8} {'ratio':>7}")
    for name, rows, wanted, distinct in CASES:
        ids = pd.Series([f"P{i:07d}" for i in range(distinct)], dtype="str")
        values = ids.iloc[rng.integers(0, distinct, rows)].reset_index(drop=True)
        chosen = ids.iloc[rng.integers(0, distinct, wanted)].reset_index(drop=True)
        pandas_s, expected = _best(_isin, values, chosen)
        ours_s, answer = _best(is_in, values, chosen)
        if not np.array_equal(expected, answer):
            raise SystemExit(f"{name}: is_in and isin disagree")
        figures[name] = {
            "pandas_isin_s": round(pandas_s, 3),
            "is_in_s": round(ours_s, 3),
            "speedup": round(pandas_s / ours_s, 1),
        }
        print(f"{name:<32} {pandas_s:>11.3f}s {ours_s:>7.3f}s {pandas_s / ours_s:>6.1f}x")
    print(json.dumps({"benchmark": "is_in", "cases": figures}, sort_keys=True))


if __name__ == "__main__":
    main()
