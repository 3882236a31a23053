"""Targets: the statistics against independent computations and published examples, the
targets file's checks, and ``graphvc targets`` on the real MPS counts against sums worked
out from the CSV with the csv module."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from scipy import stats as scipy_stats

from graphvc import targets
from graphvc.analysis import targets as stats
from graphvc.cli import cli
from graphvc.errors import ConfigError
from graphvc.reference import install_from

# --- statistics -------------------------------------------------------------------------------


@pytest.mark.parametrize(("current", "baseline"), [(30, 15), (7, 12), (393, 455), (0, 5)])
def test_count_change_is_the_clopper_pearson_interval_of_the_share(
    current: int, baseline: int
) -> None:
    n = current + baseline
    alpha = 1 - stats.CONFIDENCE
    low_share = scipy_stats.beta.ppf(alpha / 2, current, baseline + 1) if current else 0.0
    high_share = scipy_stats.beta.ppf(1 - alpha / 2, current + 1, baseline)
    change = stats.count_change(current, baseline)
    assert change.change == pytest.approx(current / baseline - 1)
    assert change.low == pytest.approx(low_share / (1 - low_share) - 1)
    assert change.high == pytest.approx(high_share / (1 - high_share) - 1)
    assert change.p_value == pytest.approx(scipy_stats.binomtest(current, n, 0.5).pvalue)


def test_count_change_scales_by_the_lengths_counted_over() -> None:
    # 20 in 10 days against 20 in 20 days: the rate doubled.
    change = stats.count_change(20, 20, current_length=10, baseline_length=20)
    assert change.change == pytest.approx(1.0)
    assert change.distinguishable


@pytest.mark.parametrize(
    ("current", "baseline", "low", "high"),
    # Newcombe (1998), Table II, method 10: examples (a), (b) and (c).
    [
        ((56, 70), (48, 80), 0.0524, 0.3339),
        ((9, 10), (3, 10), 0.1705, 0.8090),
        ((6, 7), (2, 7), 0.0582, 0.8062),
    ],
)
def test_rate_change_reproduces_newcombe(current, baseline, low, high) -> None:
    change = stats.rate_change(current, baseline)
    assert change.change == pytest.approx(current[0] / current[1] - baseline[0] / baseline[1])
    assert (round(change.low, 4), round(change.high, 4)) == (low, high)


def test_wilson_interval_matches_its_formula() -> None:
    x, n, z = 81, 263, scipy_stats.norm.ppf(0.975)
    p = x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    assert stats.wilson_interval(x, n) == pytest.approx((centre - half, centre + half))


def test_a_c_chart_flags_a_shift_and_not_one_noisy_month() -> None:
    baseline = [20, 18, 22, 21, 19, 20, 23, 17, 20, 21, 19, 20]
    single = stats.c_chart([*baseline, 30, 20, 21], [True] * 12 + [False] * 3)
    assert single["signal"].tolist()[12:] == ["", "", ""]  # 30 is inside 20 + 3*sqrt(20) = 33.4
    shifted = stats.c_chart([*baseline, *[16] * 8], [True] * 12 + [False] * 8)
    assert shifted["signal"].tolist()[12:] == [""] * 7 + ["run below centre"]
    sparse = stats.c_chart([0, 1, 0, 0, 1, 0, *[0] * 8], [True] * 6 + [False] * 8)
    assert set(sparse["signal"]) == {""}  # eight empty months under a centre of 1/3: no run


@pytest.mark.parametrize(
    ("achieved", "target", "complete", "lower", "state"),
    [
        (-0.06, -0.05, True, True, "met"),
        (-0.04, -0.05, True, True, "missed"),
        (-0.06, -0.05, False, True, "on track"),
        (0.31, 0.30, False, False, "on track"),
        (0.20, 0.30, True, False, "missed"),
    ],
)
def test_target_status(achieved, target, complete, lower, state) -> None:
    assert stats.target_status(achieved, target, complete=complete, lower_is_better=lower) == state


# --- the targets file -------------------------------------------------------------------------


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "targets.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('id = "a"\ncount = "knives"\nchange = -0.05', "'knives' is not one of"),
        ('id = "a"\ncount = "gun_enabled"', "needs change"),
        ('id = "a"\nrate = "sanction_detections"\nof = "rape_sexual"', "exactly one of level"),
        (
            'id = "a"\ncount = "gun_enabled"\nchange = -0.05\nscope = "set"',
            "exactly one of boroughs",
        ),
        ('id = "a"\ncount = "gun_enabled"\nchange = -0.05\ncolour = "red"', "unknown key"),
        ('id = "a"\ncount = "gun_enabled"\nchange = -5', "from -1 to 10"),
        (
            'id = "a"\nsource = "mps"\nrate = "sanction_detections"\nof = "robbery"\nlevel = 0.2',
            "no outcomes",
        ),
    ],
)
def test_a_bad_target_is_refused_naming_it(tmp_path: Path, body: str, message: str) -> None:
    path = _file(tmp_path, f'[defaults]\nperiod = "2019"\nbaseline = "2018"\n[[targets]]\n{body}\n')
    with pytest.raises(ConfigError, match=message):
        targets.load_targets(path)


def test_the_shipped_files_are_valid() -> None:
    founding = targets.load_targets()
    assert {t.source for t in founding.targets} == {"graph"}
    assert [t.level for t in founding.targets if t.rate] == [0.20, 0.30, 0.27]
    assert targets.load_targets(str(targets.MPS_TARGETS)).sources == {"mps"}


# --- the graph's counts, like for like --------------------------------------------------------


def test_a_period_in_progress_is_compared_with_the_same_days_a_year_before() -> None:
    incidents = pd.DataFrame(
        {
            "incident_id": ["I1", "I2", "I3", "I4", "I5"],
            "occurred_at": ["2024-04-10", "2024-05-10", "2024-09-01", "2025-04-20", "2025-05-02"],
            "offence": ["personal_robbery"] * 5,
            "location_id": ["L1"] * 5,
        }
    )
    locations = pd.DataFrame({"location_id": ["L1"], "borough_code": ["B1"], "borough_name": ["X"]})
    target = targets.Target(
        id="r",
        title="r",
        of="personal_robbery",
        change=-0.05,
        period="financial year",
        baseline="previous",
    )
    counts = {"graph": targets.incident_counts(incidents, locations)}
    as_of = {"graph": pd.Timestamp("2025-06-01")}
    table = targets.evaluate([target], counts, as_of)
    force = table.iloc[0]
    assert (force["baseline_offences"], force["current_offences"]) == (2, 2)  # I3 is after 1 June
    assert str(force["baseline_end"]) == "2024-06-01" and not force["complete"]
    assert force["status"] == "off track"


# --- the real MPS counts ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def mps_home(reference_source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("home")
    install_from(reference_source, home)
    return home


def _csv_totals(source: Path, family: str, borough: str, years: tuple[str, ...]) -> dict[str, int]:
    path = source / "mps_lsoa_crime" / f"london-2011-2021-major-{family}.csv"
    totals = dict.fromkeys(years, 0.0)
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["LAD11CD"] == borough:
                for year in years:
                    totals[year] += float(row[year])
    return {year: round(total) for year, total in totals.items()}


@pytest.mark.parametrize("family", ["robbery", "weapons"])
def test_targets_on_the_mps_counts_match_the_csv(
    family: str, mps_home: Path, reference_source: Path
) -> None:
    lambeth = "E09000022"
    result = CliRunner().invoke(
        cli,
        ["targets", "--mps", "--borough", lambeth, "--json"],
        env={"GRAPHVC_HOME": str(mps_home), "NEO4J_URI": "bolt://127.0.0.1:1"},
    )
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    row = next(r for r in found["rows"] if r["target"] == family and r["area_code"] == lambeth)
    expected = _csv_totals(reference_source, family, lambeth, ("2018", "2019"))
    assert (row["baseline_offences"], row["current_offences"]) == (
        expected["2018"],
        expected["2019"],
    )
    assert row["change"] == pytest.approx(expected["2019"] / expected["2018"] - 1)
    low, high = row["change_low"], row["change_high"]
    assert low < row["change"] < high
    assert row["distinguishable"] == (high < 0 or low > 0)
    assert "Clopper-Pearson" in found["methods"]["count"]
    assert {r["area_code"] for r in found["rows"]} == {"force", lambeth}


def test_the_text_output_states_the_interval_and_the_2020_caveat(mps_home: Path) -> None:
    result = CliRunner().invoke(
        cli, ["targets", "--mps", "--borough", "E09000022"], env={"GRAPHVC_HOME": str(mps_home)}
    )
    assert result.exit_code == 0, result.output
    assert "95% CI" in result.output and "-24.7 to -0.9" in result.output  # Lambeth weapons
    assert "double-counts 2020" in result.output


def test_a_target_needing_2020_is_refused_in_one_line(mps_home: Path, tmp_path: Path) -> None:
    path = _file(
        tmp_path,
        '[[targets]]\nid = "r"\nsource = "mps"\ncount = "robbery"\n'
        'change = -0.05\nperiod = "2021"\nbaseline = "2020"\n',
    )
    result = CliRunner().invoke(
        cli, ["targets", "--file", str(path)], env={"GRAPHVC_HOME": str(mps_home)}
    )
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1].startswith("Error: target r: the installed MPS")
    assert "double-count 2020" in result.output
