"""Statistics of performance against targets: is a change real, and is a month unusual?

Plain functions of counts, no data frames of incidents: :mod:`graphvc.targets` counts
what a target measures and calls these.

``count_change``
    A count now against a count then (e.g. robberies this year against last): the ratio of
    two Poisson rates, with the exact confidence interval conditional on their sum
    (Clopper–Pearson on the binomial share of the current count) and the exact two-sided
    test of no change.
``rate_change``
    A rate now against a rate then (e.g. sanction detections per offence): the difference of
    two independent proportions with Newcombe's hybrid score interval, built from Wilson's
    score interval for each proportion.
``c_chart``, ``p_chart``
    Shewhart control charts of a monthly series, their centre line and 3-sigma limits set on
    a baseline (phase I) and applied to later months (phase II); ``control_signals`` marks a
    month beyond the limits, or the eighth of a run on one side of the centre: a real shift
    rather than one bad month.
``target_status``
    Met, missed, on track or off track.

References
----------
.. [1] Clopper, C. J., & Pearson, E. S. (1934). The use of confidence or fiducial limits
   illustrated in the case of the binomial. *Biometrika*, 26(4), 404-413.
   doi:10.1093/biomet/26.4.404
.. [2] Fay, M. P. (2010). Two-sided exact tests and matching confidence intervals for
   discrete data. *The R Journal*, 2(1), 53-58. doi:10.32614/RJ-2010-008
.. [3] Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
   inference. *JASA*, 22(158), 209-212. doi:10.1080/01621459.1927.10502953
.. [4] Newcombe, R. G. (1998). Interval estimation for the difference between independent
   proportions: comparison of eleven methods. *Statistics in Medicine*, 17(8), 873-890.
   doi:10.1002/(SICI)1097-0258(19980430)17:8<873::AID-SIM779>3.0.CO;2-I
.. [5] Benneyan, J. C., Lloyd, R. C., & Plsek, P. E. (2003). Statistical process control as
   a tool for research and healthcare improvement. *Quality and Safety in Health Care*,
   12(6), 458-464. doi:10.1136/qhc.12.6.458
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats

from graphvc.errors import AnalysisError

__all__ = [
    "CONFIDENCE",
    "COUNT_METHOD",
    "MIN_EXPECTED",
    "RATE_METHOD",
    "RUN_LENGTH",
    "SIGMAS",
    "STATUSES",
    "Change",
    "c_chart",
    "control_signals",
    "count_change",
    "p_chart",
    "rate_change",
    "target_status",
    "wilson_interval",
]

#: The confidence level of every interval.
CONFIDENCE = 0.95
#: Control limits at this many standard deviations from the centre line.
SIGMAS = 3.0
#: This many months in a row on one side of the centre line signal a shift.
RUN_LENGTH = 8
#: The run rule needs at least this many expected events a month (a c-chart's centre, a
#: p-chart's n·p̄ and n·(1 − p̄)): below it most months sit on one side by chance.
MIN_EXPECTED = 5.0
COUNT_METHOD = (
    "ratio of Poisson rates: exact (Clopper-Pearson) interval conditional on the total, "
    "exact binomial test of no change (Clopper & Pearson 1934, doi:10.1093/biomet/26.4.404; "
    "Fay 2010, doi:10.32614/RJ-2010-008)"
)
RATE_METHOD = (
    "difference of proportions: Newcombe's hybrid score interval from Wilson intervals "
    "(Newcombe 1998, doi:10.1002/(SICI)1097-0258(19980430)17:8<873::AID-SIM779>3.0.CO;2-I; "
    "Wilson 1927, doi:10.1080/01621459.1927.10502953)"
)
#: The state of a target: its period over (met, missed), in progress (on track, off track
#: to date), not begun, or without data.
STATUSES = ("met", "missed", "on track", "off track", "not started", "no data")


@dataclass(frozen=True)
class Change:
    """A change and its confidence interval.

    ``change`` is relative for counts (0.10 = up 10 %) and in proportion points for rates
    (0.10 = ten points up); ``low`` and ``high`` bound it at :data:`CONFIDENCE`;
    ``p_value`` tests no change; ``distinguishable`` is whether the interval excludes no
    change. Undefined values (a baseline of zero) are NaN.
    """

    change: float
    low: float
    high: float
    p_value: float
    method: str

    @property
    def distinguishable(self) -> bool:
        return bool(self.low > 0 or self.high < 0)


def count_change(
    current: int,
    baseline: int,
    *,
    current_length: float = 1.0,
    baseline_length: float = 1.0,
    confidence: float = CONFIDENCE,
) -> Change:
    """The relative change from ``baseline`` to ``current`` counts, as a ratio of Poisson rates.

    Parameters
    ----------
    current, baseline : int
        The counts now and then.
    current_length, baseline_length : float
        How long each was counted over (days, say); equal by default.
    confidence : float
        Of the interval.

    Returns
    -------
    Change
        ``change`` = rate ratio − 1. Given the total ``n = current + baseline``, ``current``
        is binomial with share ``π = tR / (1 + tR)`` (``R`` the rate ratio, ``t`` the ratio of
        lengths); the Clopper–Pearson interval of ``π`` gives that of ``R``, and the exact
        binomial test of ``π = t / (1 + t)`` the p-value of no change.

    Examples
    --------
    Lambeth in the published MPS counts: possession of weapons, 455 offences in 2018 and 393
    in 2019, down 13.6 % and distinguishable from chance; robbery, 1,325 and 1,333, not.

    >>> change = count_change(393, 455)
    >>> round(change.change, 4), round(change.low, 4), round(change.high, 4)
    (-0.1363, -0.2472, -0.0093)
    >>> change.distinguishable, round(change.p_value, 3)
    (True, 0.036)
    >>> count_change(1333, 1325).distinguishable
    False
    >>> math.isnan(count_change(3, 0).change)
    True

    References
    ----------
    .. [1] Clopper & Pearson (1934), doi:10.1093/biomet/26.4.404
    .. [2] Fay (2010), doi:10.32614/RJ-2010-008
    """
    _check_counts(current=current, baseline=baseline)
    if current_length <= 0 or baseline_length <= 0:
        raise AnalysisError("the lengths counted over must be positive")
    total = current + baseline
    t = current_length / baseline_length
    if total == 0:
        return Change(math.nan, math.nan, math.nan, 1.0, COUNT_METHOD)
    test = stats.binomtest(current, total, p=t / (1 + t))
    share = test.proportion_ci(confidence_level=confidence, method="exact")

    def ratio(pi: float) -> float:
        return math.inf if pi >= 1 else pi / ((1 - pi) * t)

    point = math.nan if baseline == 0 else ratio(current / total) - 1
    high = math.nan if baseline == 0 else ratio(share.high) - 1
    return Change(point, ratio(share.low) - 1, high, float(test.pvalue), COUNT_METHOD)


def wilson_interval(
    successes: int, trials: int, *, confidence: float = CONFIDENCE
) -> tuple[float, float]:
    """Wilson's score interval of a proportion (NaN, NaN without trials).

    Examples
    --------
    >>> [round(x, 4) for x in wilson_interval(81, 263)]
    [0.2553, 0.3662]
    """
    _check_counts(successes=successes, trials=trials)
    if successes > trials:
        raise AnalysisError(f"{successes} successes out of {trials} trials")
    if trials == 0:
        return math.nan, math.nan
    found = stats.binomtest(successes, trials).proportion_ci(confidence, method="wilson")
    return float(found.low), float(found.high)


def rate_change(
    current: tuple[int, int],
    baseline: tuple[int, int],
    *,
    confidence: float = CONFIDENCE,
) -> Change:
    """The change in a proportion from ``baseline`` to ``current``, each (successes, trials).

    Returns
    -------
    Change
        ``change`` = current − baseline proportion, in proportion points; the interval is
        Newcombe's method 10 (hybrid score, from the Wilson intervals of each proportion);
        the p-value is that of the two-sided score test of equal proportions (Pearson's
        chi-squared without continuity correction).

    Examples
    --------
    Newcombe's (1998) worked example: 56/70 against 48/80, a difference of 0.2 with
    interval 0.0524 to 0.3339.

    >>> change = rate_change((56, 70), (48, 80))
    >>> round(change.change, 4), round(change.low, 4), round(change.high, 4)
    (0.2, 0.0524, 0.3339)

    References
    ----------
    .. [1] Newcombe (1998), doi:10.1002/(SICI)1097-0258(19980430)17:8<873::AID-SIM779>3.0.CO;2-I
    .. [2] Wilson (1927), doi:10.1080/01621459.1927.10502953
    """
    (x2, n2), (x1, n1) = current, baseline
    if n1 == 0 or n2 == 0:
        return Change(math.nan, math.nan, math.nan, math.nan, RATE_METHOD)
    p1, p2 = x1 / n1, x2 / n2
    l1, u1 = wilson_interval(x1, n1, confidence=confidence)
    l2, u2 = wilson_interval(x2, n2, confidence=confidence)
    difference = p2 - p1
    low = difference - math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2)
    high = difference + math.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)
    pooled = (x1 + x2) / (n1 + n2)
    spread = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    p_value = 1.0 if spread == 0 else float(2 * stats.norm.sf(abs(difference) / spread))
    return Change(difference, low, high, p_value, RATE_METHOD)


def _check_counts(**counts: int) -> None:
    for name, value in counts.items():
        if not (isinstance(value, int | np.integer) and value >= 0):
            raise AnalysisError(f"{name}={value!r} must be a whole number, at least 0")


def _chart(
    values: np.ndarray, centre: float, spread: np.ndarray, low_floor: float, runs: Any
) -> pd.DataFrame:
    lower = np.maximum(centre - SIGMAS * spread, low_floor)
    upper = centre + SIGMAS * spread
    frame = pd.DataFrame({"value": values, "centre": centre, "lower": lower, "upper": upper})
    frame["signal"] = control_signals(frame["value"], centre, lower, upper, runs=runs)
    return frame


def c_chart(counts: npt.ArrayLike, baseline: Sequence[bool] | None = None) -> pd.DataFrame:
    """A c-chart of counts per month: centre ``c̄`` (the mean over the ``baseline`` months,
    all months by default) and limits ``c̄ ± 3√c̄`` (the lower one at least 0).

    Returns
    -------
    pandas.DataFrame
        ``value``, ``centre``, ``lower``, ``upper`` and ``signal`` (see
        :func:`control_signals`), one row per month.

    Examples
    --------
    >>> chart = c_chart([9, 11, 10, 10, 25], baseline=[True, True, True, True, False])
    >>> chart.loc[0, ["centre", "lower", "upper"]].round(3).tolist()
    [10.0, 0.513, 19.487]
    >>> chart["signal"].tolist()
    ['', '', '', '', 'above upper limit']

    References
    ----------
    .. [1] Benneyan, Lloyd & Plsek (2003), doi:10.1136/qhc.12.6.458
    """
    values = np.asarray(counts, dtype=float)
    chosen = _phase_one(values, baseline)
    centre = float(values[chosen].mean()) if chosen.any() else math.nan
    spread = np.full(len(values), math.sqrt(centre) if centre >= 0 else math.nan)
    return _chart(values, centre, spread, 0.0, runs=centre >= MIN_EXPECTED)


def p_chart(
    successes: npt.ArrayLike, trials: npt.ArrayLike, baseline: Sequence[bool] | None = None
) -> pd.DataFrame:
    """A p-chart of monthly proportions: centre ``p̄`` (pooled over the ``baseline`` months)
    and limits ``p̄ ± 3√(p̄(1 − p̄)/nᵢ)`` in [0, 1]; a month without trials has no value.

    Examples
    --------
    >>> chart = p_chart([20, 30, 5], [100, 100, 100], baseline=[True, True, False])
    >>> chart[["value", "centre"]].iloc[2].tolist(), round(float(chart["lower"].iloc[2]), 4)
    ([0.05, 0.25], 0.1201)
    >>> chart["signal"].iloc[2]
    'below lower limit'
    """
    x = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    chosen = _phase_one(n, baseline)
    pooled = float(x[chosen].sum() / n[chosen].sum()) if n[chosen].sum() > 0 else math.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        values = np.where(n > 0, x / n, np.nan)
        spread = np.sqrt(pooled * (1 - pooled) / n)
    runs = (n * pooled >= MIN_EXPECTED) & (n * (1 - pooled) >= MIN_EXPECTED)
    chart = _chart(values, pooled, spread, 0.0, runs=runs)
    chart["upper"] = chart["upper"].clip(upper=1.0)
    chart["signal"] = control_signals(
        chart["value"], pooled, chart["lower"], chart["upper"], runs=runs
    )
    return chart


def _phase_one(values: np.ndarray, baseline: Sequence[bool] | None) -> np.ndarray:
    chosen = np.ones(len(values), dtype=bool) if baseline is None else np.asarray(baseline, bool)
    if len(chosen) != len(values):
        raise AnalysisError(f"baseline has {len(chosen)} flags for {len(values)} months")
    return chosen


def control_signals(
    values: pd.Series, centre: Any, lower: Any, upper: Any, *, runs: Any = True
) -> pd.Series:
    """Why each point of a control chart signals, or ``""``: ``above upper limit``,
    ``below lower limit`` (Shewhart's rule), or ``run above centre`` / ``run below centre``
    on the :data:`RUN_LENGTH`-th point in a row on one side of the centre line (once per
    run). ``runs`` (one flag, or one per point) says where the run rule applies: on sparse
    counts most months fall below a centre under 1, and a run of them means nothing.

    Examples
    --------
    >>> values = pd.Series([1, 1, 1, 1, 1, 1, 1, 1, 9.0])
    >>> control_signals(values, 2.0, 0.0, 8.0).tolist()[6:]
    ['', 'run below centre', 'above upper limit']
    """
    signals = pd.Series("", index=values.index, dtype=object)
    side = np.sign((values - centre).to_numpy(dtype=float))
    side[~np.broadcast_to(np.asarray(runs, dtype=bool), side.shape)] = 0
    run = 0
    for i, s in enumerate(side):
        run = run + 1 if i > 0 and s != 0 and s == side[i - 1] else (1 if s != 0 else 0)
        if run == RUN_LENGTH:
            signals.iloc[i] = "run above centre" if s > 0 else "run below centre"
    signals[values > upper] = "above upper limit"
    signals[values < lower] = "below lower limit"
    return signals


def target_status(
    achieved: float, target: float, *, complete: bool, started: bool = True, lower_is_better: bool
) -> str:
    """The state of a target (one of :data:`STATUSES`).

    ``achieved`` is the change (or the rate) so far and ``target`` the one to reach; a
    complete period is ``met`` or ``missed``, one in progress ``on track`` or ``off
    track`` judged on the like-for-like figures to date.

    Examples
    --------
    >>> target_status(-0.07, -0.05, complete=True, lower_is_better=True)
    'met'
    >>> target_status(0.25, 0.30, complete=False, lower_is_better=False)
    'off track'
    >>> target_status(float("nan"), -0.05, complete=True, lower_is_better=True)
    'no data'
    """
    if not started:
        return "not started"
    if achieved is None or (isinstance(achieved, float) and math.isnan(achieved)):
        return "no data"
    good = achieved <= target if lower_is_better else achieved >= target
    if complete:
        return "met" if good else "missed"
    return "on track" if good else "off track"
