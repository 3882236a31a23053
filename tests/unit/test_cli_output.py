"""What the command line prints for people and machines: strict JSON (``null`` for missing,
never ``NaN``), whole numbers as integers in tables, the app served without Streamlit's
developer toolbar, and `make demo` on the port asked for."""

from __future__ import annotations

import math
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from graphvc.app.server import streamlit_command
from graphvc.cli import _common
from graphvc.cli._common import format_rows
from tests.strict_json import strict_json

ROOT = Path(__file__).resolve().parents[2]


def test_missing_and_infinite_values_are_null_in_json() -> None:
    value = {
        "nan": float("nan"),
        "numpy_nan": np.float64("nan"),
        "float32_nan": np.float32("nan"),
        "inf": math.inf,
        "nat": pd.NaT,
        "na": pd.NA,
        "none": None,
        "count": np.int64(2),
        "share": np.float64(0.25),
        "flag": np.bool_(True),
        "when": pd.Timestamp("2025-01-03 04:05"),
        "array": np.array([1.0, np.nan]),
        "nested": [{"deep": float("-inf")}, (1, float("nan"))],
    }
    assert strict_json(_common.json_text(value)) == {
        "nan": None,
        "numpy_nan": None,
        "float32_nan": None,
        "inf": None,
        "nat": None,
        "na": None,
        "none": None,
        "count": 2,
        "share": 0.25,
        "flag": True,
        "when": "2025-01-03T04:05:00",
        "array": [1.0, None],
        "nested": [{"deep": None}, [1, None]],
    }


def test_query_rows_as_json_are_strict() -> None:
    frame = pd.DataFrame({"rank": [2.0, np.nan], "at": [pd.Timestamp("2025-01-03"), pd.NaT]})
    assert strict_json(format_rows(frame, "json")) == [
        {"rank": 2.0, "at": "2025-01-03T00:00:00"},
        {"rank": None, "at": None},
    ]


def test_a_table_shows_whole_numbers_as_integers_and_missing_as_a_dash() -> None:
    # A count column with one missing value arrives from Neo4j as floating point; `graphvc
    # query run` printed its 2 as 2.0. Headers are plain words (graphvc.display).
    frame = pd.DataFrame(
        {
            "person_id": ["P1", "P2"],
            "shared_incidents": [2.0, np.nan],
            "rfg_part": [0.1284, 0.026490359549825634],
        }
    )
    lines = format_rows(frame, "table").splitlines()
    assert lines[0].split() == ["Person", "Shared", "incidents", "RFG", "part"]
    assert lines[1].split() == ["P1", "2", "0.128"]
    assert lines[2].split() == ["P2", "—", "0.0265"]


def test_the_app_is_served_with_the_toolbar_of_a_viewer() -> None:
    command = streamlit_command("app.py", port=8599)
    options = dict(zip(command[5::2], command[6::2], strict=True))
    assert options["--client.toolbarMode"] == "viewer"
    assert options["--server.port"] == "8599"


@pytest.mark.parametrize(("given", "port"), [([], "8501"), (["PORT=8600"], "8600")])
def test_make_demo_serves_on_the_port_given(given: list[str], port: str) -> None:
    planned = subprocess.run(
        ["make", "-n", "-C", str(ROOT), "demo", *given],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    demo = next(line for line in planned.splitlines() if "graphvc demo" in line)
    assert demo.split()[-2:] == ["--port", port]
