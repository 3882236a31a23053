"""Proportionality of a ranked list against the population it was drawn from."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from graphvc.analysis.proportionality import proportionality
from graphvc.errors import AnalysisError, InputError

PERSONS = pd.DataFrame(
    {
        "person_id": [f"P{i}" for i in range(10)],
        "sex": ["M", "M", "M", "M", "M", "M", "F", "F", "F", None],
        "age_band": ["18-24"] * 5 + ["25-34"] * 4 + ["16-20"],
    }
)
LISTED = ["P0", "P1", "P2", "P6"]


def _rows(table: pd.DataFrame, attribute: str) -> dict[str, list[float]]:
    rows = table[table["attribute"] == attribute].set_index("value")
    columns = ["list_count", "list_share", "population_count", "population_share", "ratio"]
    return {value: row.tolist() for value, row in rows[columns].iterrows()}


def test_sex_make_up_by_hand():
    table = proportionality(LISTED, PERSONS, attributes=["sex"])
    # List: 3 M, 1 F of 4. Population: 6 M, 3 F, 1 missing (unknown) of 10.
    assert _rows(table, "sex") == {
        "F": [1, 0.25, 3, 0.3, pytest.approx(0.25 / 0.3)],
        "M": [3, 0.75, 6, 0.6, pytest.approx(1.25)],
        "unknown": [0, 0.0, 1, 0.1, 0.0],
    }


def test_a_missing_column_is_the_contract_default():
    table = proportionality(LISTED, PERSONS, attributes=["ethnicity"])
    assert _rows(table, "ethnicity") == {"NS": [4, 1.0, 10, 1.0, 1.0]}


def test_values_outside_the_contract_come_last():
    table = proportionality(LISTED, PERSONS, attributes=["age_band"])
    assert table["value"].tolist() == ["18-24", "25-34", "16-20"]


def test_a_narrower_population():
    # Population P0..P7: 6 M and 2 F.
    population = [f"P{i}" for i in range(8)]
    table = proportionality(LISTED, PERSONS, population=population, attributes=["sex"])
    assert _rows(table, "sex")["F"] == [1, 0.25, 2, 0.25, 1.0]
    assert "unknown" not in _rows(table, "sex")


def test_every_attribute_by_default():
    table = proportionality(LISTED, PERSONS)
    assert table["attribute"].unique().tolist() == ["age_band", "sex", "ethnicity"]


def test_an_empty_list_has_no_shares():
    table = proportionality([], PERSONS, attributes=["sex"])
    assert table["list_count"].tolist() == [0, 0, 0]
    assert all(math.isnan(share) for share in table["list_share"])


@pytest.mark.parametrize(
    ("listed", "options", "message"),
    [
        (["P0", "P0"], {}, "names person 'P0' twice"),
        (["P0", "Q"], {}, "names person 'Q', who is not in the persons table"),
        (["P9"], {"population": ["P0", "P1"]}, "names person 'P9', who is not in the population"),
        (["P0"], {"attributes": ["religion"]}, "attribute 'religion' is not one of"),
    ],
)
def test_bad_lists_and_options_are_refused(listed, options, message):
    with pytest.raises(AnalysisError, match=message):
        proportionality(listed, PERSONS, **options)


def test_repeated_person_in_persons_is_an_input_error():
    with pytest.raises(InputError, match="person_id 'P0' appears twice"):
        proportionality(["P0"], pd.concat([PERSONS, PERSONS.iloc[[0]]]))
