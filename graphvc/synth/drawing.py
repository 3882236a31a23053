"""Random draws: by weight, by activity, dealt to people, and incident times with their rhythm."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from graphvc.synth.parameters import (
    HOUR_WEIGHTS,
    MAX_ACTIVITY,
    MIX_NAMES,
    SUMMER_AMPLITUDE,
    SUMMER_PEAK_DAY,
    WEEKDAY_WEIGHTS,
    WEEKEND_NIGHT_BOOST,
    WINDOW_DAYS,
    WINDOW_START,
)

__all__ = [
    "deal",
    "draw",
    "draw_activity",
    "draw_from",
    "draw_mixes",
    "draw_times",
    "expand",
    "sequence_times",
    "vector",
]


def draw(rng: np.random.Generator, weights: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """A column of ``weights`` for each key, drawn in proportion to the weights of its row."""
    cumulative = np.cumsum(weights, axis=1)
    cumulative = cumulative / cumulative[:, -1:]
    uniform = rng.random(len(keys))
    drawn = np.empty(len(keys), dtype=np.int64)
    for key in np.unique(keys):
        rows = keys == key
        drawn[rows] = np.searchsorted(cumulative[key], uniform[rows], side="right")
    return np.minimum(drawn, weights.shape[1] - 1)


def draw_from(rng: np.random.Generator, weights: np.ndarray, n: int) -> np.ndarray:
    """``n`` indexes of ``weights``, drawn in proportion to them."""
    return draw(rng, weights[np.newaxis, :], np.zeros(n, dtype=np.int64))


def vector(names: Sequence[str], weights: Mapping[str, float]) -> np.ndarray:
    """The weights in the order of ``names``, zero for a name they leave out."""
    unknown = set(weights) - set(names)
    assert not unknown, f"{sorted(unknown)} not among {names}"
    return np.array([weights.get(name, 0.0) for name in names], dtype=float)


def draw_mixes(rng: np.random.Generator, weights: Mapping[str, float], n: int) -> np.ndarray:
    return draw_from(rng, vector(MIX_NAMES, weights), n)


def draw_activity(rng: np.random.Generator, n: int, lognormal: tuple[float, float]) -> np.ndarray:
    """How many incidents each of ``n`` people has in a role: one, plus a heavy tail."""
    extra = np.floor(rng.lognormal(*lognormal, size=n)).astype(np.int64)
    return np.minimum(1 + extra, MAX_ACTIVITY)


def deal(rng: np.random.Generator, n_slots: int, counts: np.ndarray) -> np.ndarray:
    """Deal ``n_slots`` to candidates in turn, each taking ``counts`` (the last what is left).

    Returns the candidate of each slot, in random order; ``counts`` must cover ``n_slots``.
    """
    if n_slots == 0:
        return np.zeros(0, dtype=np.int64)
    covered = np.cumsum(counts)
    n_dealt = int(np.searchsorted(covered, n_slots)) + 1
    taken = counts[:n_dealt].copy()
    taken[-1] -= covered[n_dealt - 1] - n_slots
    return rng.permutation(np.repeat(np.arange(n_dealt), taken))


def expand(start: np.ndarray, size: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For runs ``start[i] : start[i] + size[i]``, each element's run and position."""
    run = np.repeat(np.arange(len(size)), size)
    offset = np.arange(len(run)) - np.repeat(np.cumsum(size) - size, size)
    return run, start[run] + offset


def _hours_by_weekday() -> np.ndarray:
    night = np.zeros((7, 24), dtype=bool)
    night[4:6, 21:] = True  # Friday and Saturday evenings
    night[5:7, :4] = True  # and the small hours that follow them
    return HOUR_WEIGHTS * np.where(night, WEEKEND_NIGHT_BOOST, 1.0)


def draw_times(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` incident times (seconds since 1970), with the yearly, weekly and daily rhythm."""
    days = WINDOW_START + np.arange(WINDOW_DAYS)
    weekday = (days.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday; Monday is 0
    day_of_year = (days - days.astype("datetime64[Y]")).astype(np.int64)
    season = 1 + SUMMER_AMPLITUDE * np.cos(2 * np.pi * (day_of_year - SUMMER_PEAK_DAY) / 365.25)
    day = draw_from(rng, WEEKDAY_WEIGHTS[weekday] * season, n)
    hour = draw(rng, _hours_by_weekday(), weekday[day])
    minute = rng.integers(0, 60, n)
    return days[day].astype("datetime64[s]").astype(np.int64) + hour * 3600 + minute * 60


def sequence_times(
    rng: np.random.Generator, pool: np.ndarray, lengths: np.ndarray, window_days: int
) -> np.ndarray:
    """Times for sequences of incidents by the same people, each within ``window_days``.

    Times are drawn from ``pool`` (sorted incident times) so that the daily and weekly rhythm
    holds. Within a sequence they ascend at least a minute apart, so order is never a tie.
    Returns the times of all sequences one after the other.
    """
    spread = lengths.max(initial=0) * 60
    window = window_days * 86_400
    n_anchors = max(1, int(np.searchsorted(pool, pool[-1] - window - spread, side="right")))
    anchor = rng.integers(0, n_anchors, len(lengths))
    end = np.searchsorted(pool, pool[anchor] + window, side="right")
    sequence = np.repeat(np.arange(len(lengths)), lengths)
    low, high = anchor[sequence], end[sequence]
    drawn = pool[low + (rng.random(len(sequence)) * (high - low)).astype(np.int64)]
    drawn = drawn[np.lexsort((drawn, sequence))]
    step = np.arange(len(sequence)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return drawn + step * 60
