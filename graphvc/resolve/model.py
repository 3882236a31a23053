"""The splink model behind ``graphvc resolve``: comparisons, blocking rules and training.

A Fellegi–Sunter model (splink 4, DuckDB backend) scores each pair of person records that a
blocking rule puts side by side. Each comparison sorts a pair into a level (the names agree
exactly, nearly, not at all; the dates of birth agree, are the same day and month swapped, a
day apart...) and each level carries a Bayes factor m/u: how much more often true matches
fall in it than non-matches. The u probabilities are estimated on random pairs (nearly all
non-matches), the m probabilities by expectation–maximisation on the pairs of two blocking
rules, each rule training the comparisons it does not block on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

__all__ = [
    "BLOCKING_RULES",
    "COMPARED",
    "MODEL_NAME",
    "Scored",
    "score_pairs",
    "splink_settings",
]

#: The model's name on each candidate pair it writes (``POSSIBLY_SAME_AS.model``).
MODEL_NAME = "splink-fellegi-sunter-v1"

#: The fields each comparison compares, by the comparison's name: ``agreed`` on a pair lists
#: the comparisons whose values agree exactly.
COMPARED: dict[str, tuple[str, ...]] = {
    "first_name": ("first_name",),
    "surname": ("surname",),
    "date_of_birth": ("date_of_birth",),
    "postcode": ("postcode",),
    "pnc_id": ("pnc_id",),
}

#: The pairs compared: records agreeing on one of these. Each is an equality (a hash join in
#: DuckDB), and none is on a field whose common values would pair everyone with everyone (a
#: surname alone, a postcode area), so the number of pairs grows about linearly with the
#: number of people (see docs/methods/resolve.md). Together they catch a duplicate with up
#: to three errors: a typo is never in a name's first letter, which two rules block on.
BLOCKING_RULES: tuple[tuple[str, ...], ...] = (
    ("pnc_id",),
    ("first_name", "surname"),
    ("surname", "substr(date_of_birth, 1, 4)"),
    ("date_of_birth", "substr(first_name, 1, 1)"),
    ("postcode", "substr(surname, 1, 1)"),
    ("first_name", "substr(date_of_birth, 1, 4)"),
)

#: The rules EM trains on (each leaves the comparisons it blocks on untrained in its pass).
_TRAINING_RULES: tuple[tuple[str, ...], ...] = (("date_of_birth",), ("first_name", "surname"))

#: Random pairs drawn to estimate the u probabilities.
_U_PAIRS = 2e6


def _date_of_birth_comparison() -> Any:
    """Dates of birth: exact, day and month swapped (the commonest slip of a British date
    written in an American form or the reverse), one character apart, within a month or a
    year, else."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    day_l, day_r = "substr(date_of_birth_l, 9, 2)", "substr(date_of_birth_r, 9, 2)"
    month_l, month_r = "substr(date_of_birth_l, 6, 2)", "substr(date_of_birth_r, 6, 2)"
    swapped = (
        f"substr(date_of_birth_l, 1, 4) = substr(date_of_birth_r, 1, 4)"
        f" AND {day_l} = {month_r} AND {month_l} = {day_r}"
    )
    return cl.CustomComparison(
        output_column_name="date_of_birth",
        comparison_levels=[
            cll.NullLevel("date_of_birth"),
            cll.ExactMatchLevel("date_of_birth").configure(label_for_charts="exact"),
            cll.CustomLevel(swapped, label_for_charts="day and month transposed"),
            cll.DamerauLevenshteinLevel("date_of_birth", 1).configure(
                label_for_charts="one character apart"
            ),
            cll.AbsoluteDateDifferenceLevel(
                "date_of_birth", threshold=1, metric="month", input_is_string=True
            ).configure(label_for_charts="within a month"),
            cll.AbsoluteDateDifferenceLevel(
                "date_of_birth", threshold=1, metric="year", input_is_string=True
            ).configure(label_for_charts="within a year"),
            cll.ElseLevel(),
        ],
    )


def splink_settings() -> Any:
    """The splink settings: comparisons, blocking rules, and the columns kept for evidence.

    Name parts by Jaro–Winkler (0.92, 0.88, 0.7) and exact match with term-frequency
    adjustment (a shared rare surname says more than a shared Smith); dates of birth as
    :func:`_date_of_birth_comparison`; postcodes by full postcode, sector, district (the
    outward code) and area; PNC ids exactly.
    """
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="person_id",
        comparisons=[
            cl.NameComparison("first_name"),
            cl.NameComparison("surname"),
            _date_of_birth_comparison(),
            cl.PostcodeComparison("postcode"),
            cl.ExactMatch("pnc_id"),
        ],
        blocking_rules_to_generate_predictions=[block_on(*rule) for rule in BLOCKING_RULES],
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=True,
    )


@dataclass(frozen=True)
class Scored:
    """What a run of the model gives: ``pairs`` (person_id_l < person_id_r, match_probability,
    and splink's gamma and Bayes-factor columns), ``clusters`` (person_id -> cluster_id, every
    person) and ``levels`` (comparison -> gamma value -> its level's label)."""

    pairs: pd.DataFrame
    clusters: pd.DataFrame
    levels: dict[str, dict[int, str]]


def _levels(linker: Any) -> dict[str, dict[int, str]]:
    """Each comparison's levels, by the gamma value splink gives a pair in it."""
    return {
        comparison.output_column_name: {
            level.comparison_vector_value: level.label_for_charts
            for level in comparison.comparison_levels
        }
        for comparison in linker._settings_obj.comparisons
    }


def score_pairs(
    people: pd.DataFrame,
    *,
    threshold: float,
    floor: float,
    seed: int = 36,
    progress: Any = None,
) -> Scored:
    """Train the model on ``people`` and score their candidate pairs.

    Parameters
    ----------
    people : DataFrame
        ``person_id``, ``first_name``, ``surname``, ``date_of_birth`` (``YYYY-MM-DD``),
        ``postcode`` and ``pnc_id``, missing values as None.
    threshold : float
        The match probability at which two records are clustered as one person.
    floor : float
        The lowest match probability of a pair kept as a candidate.
    seed : int
        Seed of the random pairs the u probabilities are estimated on: the same people give
        the same model.
    progress : callable, optional
        Called with the name of each step as it starts (a progress bar's update).

    Returns
    -------
    Scored
    """
    import duckdb
    from splink import DuckDBAPI, Linker, block_on

    def step(name: str) -> None:
        if progress is not None:
            progress(name)

    # One DuckDB thread a core is DuckDB's default; a fresh in-memory database per run.
    database = DuckDBAPI(duckdb.connect())
    # splink's type hint omits the DataFrames it reads.
    linker = Linker(people, splink_settings(), database, set_up_basic_logging=False)  # type: ignore[arg-type]
    step("estimating u on random pairs")
    linker.training.estimate_probability_two_random_records_match(
        [block_on("pnc_id"), block_on("first_name", "surname", "date_of_birth")], recall=0.8
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=_U_PAIRS, seed=seed)
    for rule in _TRAINING_RULES:
        step(f"estimating m by EM on {'+'.join(rule)}")
        linker.training.estimate_parameters_using_expectation_maximisation(block_on(*rule))
    step("scoring the candidate pairs")
    predictions = linker.inference.predict(threshold_match_probability=floor)
    step("clustering")
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=threshold
    )
    return Scored(
        pairs=predictions.as_pandas_dataframe(),  # type: ignore[no-untyped-call]
        clusters=clusters.as_pandas_dataframe()[  # type: ignore[no-untyped-call]
            ["person_id", "cluster_id"]
        ],
        levels=_levels(linker),
    )
