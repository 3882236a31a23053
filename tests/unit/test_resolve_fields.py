"""The identifying fields of issue 36 (date of birth, postcode, PNC id): validated like every
column, never read back out of the graph; and the planted duplicates of ``synth --duplicates``."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from graphvc.cli import cli
from graphvc.contract import IDENTIFYING, read_columns
from graphvc.exports.network import WITHHELD
from graphvc.harm_index import load_harm_table
from graphvc.resolve import pairwise_scores
from graphvc.synth import generate, synthetic_city
from graphvc.synth.duplicates import plant_duplicates
from loaders.tables import ROW
from loaders.validate import validate_table

HARM = load_harm_table()
FIELDS = ("date_of_birth", "postcode", "pnc_id")


def _persons(**cells: str) -> pd.DataFrame:
    row = {"person_id": "P1", "name": "Ann Example", **cells}
    frame = pd.DataFrame([row], dtype="string")
    for column in ("date_of_birth", "postcode", "pnc_id", "age_band", "sex", "ethnicity"):
        if column not in frame:
            frame[column] = pd.Series([pd.NA], dtype="string")
    return frame.assign(**{ROW: 7})


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("17/04/1990", "not an ISO 8601 date such as 1990-04-17"),
        ("1990-17-04", "not an ISO 8601 date such as 1990-04-17"),
        ("1990-02-30", "not an ISO 8601 date such as 1990-04-17"),
        ("1890-04-17", "before 1900-01-01 (too early for a record)"),
        ("2999-04-17", "in the future (after tomorrow)"),
    ],
)
def test_a_bad_date_of_birth_is_one_reject_and_its_row_is_quarantined(
    value: str, reason: str
) -> None:
    checked = validate_table(
        "persons", _persons(date_of_birth=value), file="persons.csv", harm=HARM
    )
    assert checked.rows.empty
    assert checked.rejects.to_dict("records") == [
        {
            "file": "persons.csv",
            "row": 7,
            "field": "date_of_birth",
            "value": value,
            "reason": reason,
        }
    ]


def test_the_identifying_fields_are_kept_as_given() -> None:
    cells = {"date_of_birth": " 1990-04-17 ", "postcode": "SE15 4QF", "pnc_id": "04/1234567X"}
    checked = validate_table("persons", _persons(**cells), file="persons.csv", harm=HARM)
    assert checked.rejects.empty
    (row,) = checked.rows.to_dict("records")
    assert (row["date_of_birth"], row["postcode"], row["pnc_id"]) == (
        "1990-04-17",
        "SE15 4QF",
        "04/1234567X",
    )


def test_the_identifying_fields_never_leave_the_database() -> None:
    assert {("persons", field) for field in FIELDS} <= IDENTIFYING
    assert not set(FIELDS) & set(read_columns("persons"))
    assert {("Person", field) for field in FIELDS} <= WITHHELD


# --- synth --duplicates ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def planted() -> tuple:
    base = generate(2000, 5, synthetic_city(5))
    return base, plant_duplicates(base, 0.1, seed=5)


def test_duplicates_are_planted_as_the_ground_truth_says(planted: tuple) -> None:
    base, data = planted
    groups = data.ground_truth["duplicates"]
    originals = set(base.persons["person_id"])
    # One original and one or two new records in each group, all of them persons.
    assert len(groups) == round(0.1 * len(base.persons))
    assert all(len(set(g) & originals) == 1 and len(g) in (2, 3) for g in groups)
    assert {len(g) for g in groups} == {2, 3}
    assert len(data.persons) == len(base.persons) + sum(len(g) - 1 for g in groups)
    assert data.persons["person_id"].is_unique
    # Every record takes part in an incident; the originals kept some of theirs.
    involved = set(data.involvements["person_id"])
    assert all(set(g) <= involved for g in groups)
    assert not data.involvements.duplicated(["person_id", "incident_id", "role"]).any()
    # The other tables and the rest of the ground truth are the seed's.
    pd.testing.assert_frame_equal(data.incidents, base.incidents)
    assert {k: v for k, v in data.ground_truth.items() if k != "duplicates"} == base.ground_truth


def test_the_duplicates_carry_realistic_errors(planted: tuple) -> None:
    _, data = planted
    people = data.persons.set_index("person_id")
    same_name = same_birth = transposed = 0
    pairs = [(g[0], other) for g in data.ground_truth["duplicates"] for other in g[1:]]
    for a, b in pairs:
        x, y = people.loc[a], people.loc[b]
        same_name += x["name"] == y["name"]
        same_birth += x["date_of_birth"] == y["date_of_birth"]
        if isinstance(x["date_of_birth"], str) and isinstance(y["date_of_birth"], str):
            year, month, day = x["date_of_birth"].split("-")
            transposed += y["date_of_birth"] == f"{year}-{day}-{month}" and day != month
    # Most records keep each field, but a good share carry an error in it.
    assert 0.4 * len(pairs) < same_name < 0.9 * len(pairs)
    assert 0.5 * len(pairs) < same_birth < 0.95 * len(pairs)
    assert transposed > 0


def test_synth_output_is_unchanged_without_duplicates(tmp_path: Path) -> None:
    runner = CliRunner()
    for name, extra in (("plain", []), ("zero", ["--duplicates", "0"])):
        result = runner.invoke(
            cli,
            ["synth", "--incidents", "1000", "--seed", "2", "--geography", "city",
             "--out", str(tmp_path / name), *extra],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
    for path in (tmp_path / "plain").iterdir():
        assert path.read_bytes() == (tmp_path / "zero" / path.name).read_bytes(), path.name
    truth = json.loads((tmp_path / "plain" / "ground_truth.json").read_text())
    assert "duplicates" not in truth
    persons = pd.read_csv(tmp_path / "plain" / "persons.csv", dtype=str)
    assert persons[list(FIELDS)].isna().all().all()


def test_synth_writes_the_duplicates_key(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["synth", "--incidents", "1000", "--seed", "2", "--geography", "city",
         "--out", str(tmp_path), "--duplicates", "0.05"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    truth = json.loads((tmp_path / "ground_truth.json").read_text())
    persons = pd.read_csv(tmp_path / "persons.csv", dtype=str)
    assert truth["duplicates"] and {r for g in truth["duplicates"] for r in g} <= set(
        persons["person_id"]
    )
    assert persons["date_of_birth"].notna().mean() > 0.9


def test_pairwise_scores_count_pairs_not_clusters() -> None:
    scores = pairwise_scores([["a", "b", "c"], ["d", "e"]], [["a", "b"], ["d", "e"], ["f", "g"]])
    assert scores["found_pairs"] == 4 and scores["correct_pairs"] == 2
    assert scores["precision"] == pytest.approx(0.5)
    assert scores["recall"] == pytest.approx(2 / 3)
