"""Tables in plain language: headers from the contract's declarations, values in their
column's format, missing as "—", help per heading; and the list filters."""

from __future__ import annotations

import re
from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest

from graphvc.app.filters import days, filter_columns, within
from graphvc.contract import TABLES, Column, significant
from graphvc.contract_results import RESULTS
from graphvc.display import MISSING, column_help, heading, humanise, plain_table, plain_value

SNAKE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$")


def test_every_result_column_is_labelled_helped_and_formatted() -> None:
    for name, declared in RESULTS.items():
        assert declared.name == name
        assert declared.label[0].isupper() or declared.label[0] == "k", name
        assert not SNAKE.match(declared.heading), name
        assert declared.description, name
    # The report's and the app's list: every column of the offender list is declared.
    for name in ("priority_rank", "rfg_part", "betweenness_part", "recency_days", "harm"):
        assert name in RESULTS


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0.026490359549825634, "0.0265"),
        (0.1284, "0.128"),
        (0.2312, "0.231"),
        (1.0, "1.00"),
        (9.996, "10.0"),
        (99.96, "100"),
        (12345.6, "12,300"),
        (-0.000123456, "-0.000123"),
        (0.0, "0"),
    ],
)
def test_scores_to_three_significant_figures(value: float, shown: str) -> None:
    assert significant(value) == shown
    assert plain_value("priority", value) == shown


@pytest.mark.parametrize(
    ("column", "value", "shown"),
    [
        ("priority_rank", 2.0, "2"),
        ("rank", np.float64(1213.0), "1,213"),
        ("frequency", np.int64(5), "5"),
        ("recency_days", 94.0556, "94"),
        ("recency_days", 0.6, "1"),
        ("gravity", 1004.0, "1,004"),
        ("listed_since", pd.Timestamp("2025-01-03"), "2025-01-03"),
        ("last_offence_at", pd.Timestamp("2024-10-20 21:45:31"), "2024-10-20 21:45"),
        ("escalated_to_knife_or_gun", True, "yes"),
        ("escalated_to_knife_or_gun", np.False_, "no"),
        ("exposure_distance", float("inf"), "∞"),
        ("list_share", 0.125, "12.5"),
        ("overlap_class", "balanced", "balanced"),
        ("priority", None, MISSING),
        ("priority", float("nan"), MISSING),
        ("listed_since", pd.NaT, MISSING),
        ("person_id", pd.NA, MISSING),
    ],
)
def test_declared_values(column: str, value: object, shown: str) -> None:
    assert plain_value(column, value) == shown


def test_an_input_tables_declaration_comes_first() -> None:
    """``harm`` of the incidents table keeps its one decimal; the result column, whole days."""
    assert plain_value("harm", 12.25, table="incidents") == "12.2"
    assert plain_value("harm", 12.25) == "12"
    assert heading("age_band", table="persons") == "Age band (years)"


def test_headers_become_labels_with_units() -> None:
    frame = pd.DataFrame(
        {"rank": [1.0], "rfg_part": [0.5], "recency_days": [3.0], "co_offender_id": ["P2"]},
        index=pd.Index(["P1"], name="person_id"),
    )
    shown = plain_table(frame)
    assert list(shown.columns) == [
        "Person",
        "Rank",
        "RFG part",
        "Since last offence (days)",
        "Co offender id",
    ]
    assert shown.iloc[0].tolist() == ["P1", "1", "0.500", "3", "P2"]
    assert not any(SNAKE.match(c) for c in shown.columns)


def test_undeclared_columns_are_formatted_by_their_values() -> None:
    frame = pd.DataFrame(
        {
            "shared_incidents": [2.0, 10.0, None],  # floats that are whole numbers: counts
            "strength": [0.026490359549825634, 1.5, 2.0],
            "seen_on": pd.to_datetime(["2024-01-01", "2024-02-01", None]),
            "seen_at": pd.to_datetime(["2024-01-01 10:30", "2024-02-01 00:00", "2024-03-01 00:00"]),
            "flag": [True, False, True],
            "names": [["P1", "P2"], [], ["P3"]],
            "escalated": [None, True, False],  # a Cypher query's column, with a null
        }
    )
    shown = plain_table(frame)
    assert shown.to_dict("list") == {
        "Shared incidents": ["2", "10", MISSING],
        "Strength": ["0.0265", "1.50", "2.00"],
        "Seen on": ["2024-01-01", "2024-02-01", MISSING],
        "Seen at": ["2024-01-01 10:30", "2024-02-01 00:00", "2024-03-01 00:00"],
        "Flag": ["yes", "no", "yes"],
        "Names": ['["P1", "P2"]', "[]", '["P3"]'],
        "Escalated": [MISSING, "yes", "no"],
    }


def test_no_cell_is_none_or_nan_and_no_float_has_more_than_four_figures() -> None:
    rng = np.random.default_rng(3)
    frame = pd.DataFrame(
        {
            "priority": rng.random(50),
            "betweenness": rng.random(50) * 1e5,
            "rank": np.arange(1.0, 51.0),
            "recency_days": rng.random(50) * 700,
            "community": [None, *range(49)],
        }
    )
    frame.loc[3, "priority"] = np.nan
    shown = plain_table(frame)
    for cell in shown.to_numpy().ravel():
        assert cell not in ("None", "nan", "NaN", "<NA>", "")
        digits = re.sub(r"[^0-9]", "", cell.split(".")[0] + cell.split(".")[-1])
        if "." in cell:
            assert len(digits.lstrip("0")) <= 4, cell
    assert shown["Rank"].tolist() == [f"{i}" for i in range(1, 51)]
    assert shown["Community"].tolist()[:3] == [MISSING, "0", "1"]


def test_repeated_headings_are_numbered_and_help_follows_them() -> None:
    frame = pd.DataFrame(columns=["borough", "borough_name", "rank", "x_y"])
    assert list(plain_table(frame).columns) == ["Borough", "Borough (2)", "Rank", "X y"]
    helps = column_help(frame)
    assert helps["Borough (2)"] == RESULTS["borough_name"].description
    assert helps["Rank"] == RESULTS["rank"].description
    assert "X y" not in helps


def test_humanise() -> None:
    assert humanise("knife_enabled") == "Knife enabled"


def test_new_formats_are_checked() -> None:
    with pytest.raises(ValueError, match="format 'money' is not one of"):
        Column("x", label="X", format="money")
    assert Column("x", label="X", format="days").display(2.5) == "2"
    assert Column("x", label="X", format="date").display("2025-01-03T10:00") == "2025-01-03"
    # The input contract's own declarations still show as they did.
    assert TABLES["incidents"].column("harm").display(12.25) == "12.2"


def test_filter_columns_and_date_ranges() -> None:
    assert filter_columns(pd.DataFrame(columns=["ward_name", "ward", "role", "occurred_at"])) == {
        "ward": "ward_name",
        "date": "occurred_at",
        "role": "role",
    }
    assert filter_columns(pd.DataFrame(columns=["borough_name", "role"]), ("role",)) == {
        "role": "role"
    }
    stamps = pd.Series(pd.to_datetime(["2024-01-01 00:00", "2024-02-29 23:59", "2024-03-01 00:00"]))
    assert within(stamps, date(2024, 1, 1), date(2024, 2, 29)).tolist() == [True, True, False]
    zoned = stamps.dt.tz_localize("Europe/London")
    assert within(zoned, date(2024, 3, 1), date(2024, 3, 1)).tolist() == [False, False, True]


def test_date_ranges_read_neo4j_datetimes_of_both_offsets() -> None:
    """A Cypher result's datetimes carry GMT or BST offsets: each is read as its London day
    (not dropped for the mix of offsets), so a date range keeps both."""
    import neo4j.time

    values = pd.Series(
        [
            neo4j.time.DateTime.from_native(datetime.fromisoformat("2024-03-15T01:00:00+00:00")),
            neo4j.time.DateTime.from_native(datetime.fromisoformat("2024-09-01T23:30:00+01:00")),
            neo4j.time.DateTime.from_native(datetime.fromisoformat("2024-09-01T23:30:00+00:00")),
        ]
    )
    assert days(values).dt.strftime("%Y-%m-%d").tolist() == [
        "2024-03-15",
        "2024-09-01",
        "2024-09-02",
    ]
    assert within(values, date(2024, 9, 1), date(2024, 9, 1)).tolist() == [False, True, False]
