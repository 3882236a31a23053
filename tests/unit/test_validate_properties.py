"""Property-based tests of the validators (Hypothesis): every row is judged on its own.

Whatever a table holds, each row is either loaded, typed, or set aside with a reason; a row
is loaded exactly when each of its cells is valid by itself, so no bad neighbour changes the
verdict on a row, and validating the valid rows again rejects nothing.
"""

from __future__ import annotations

import math

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from graphvc.contract import MAX_TEXT_LENGTH
from graphvc.harm_index import load_harm_table
from loaders.tables import ROW
from loaders.validate import validate_table

HARM = load_harm_table()

harm_cells = st.one_of(
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-10, 10**6).map(str),
    st.sampled_from(["abc", "1e400", "-inf", "inf", "NaN", " 12 ", "1,5", "0x10"]),
)
moments = st.one_of(
    st.datetimes(
        min_value=pd.Timestamp("2000-01-01").to_pydatetime(),
        max_value=pd.Timestamp("2030-12-31").to_pydatetime(),
    ).map(lambda d: d.isoformat(timespec="seconds")),
    st.sampled_from(["+00:00", "+01:00", "Z", "-05:00"]).flatmap(
        lambda offset: st.dates(
            min_value=pd.Timestamp("2000-01-01").date(),
            max_value=pd.Timestamp("2030-12-31").date(),
        ).map(lambda d: f"{d.isoformat()}T12:00:00{offset}")
    ),
    st.sampled_from(["2099-06-01T10:00:00", "yesterday", "2024-13-01", ""]),
)
ids = st.one_of(
    st.text(alphabet="ABCxyz0123456789", min_size=1, max_size=8),
    st.just("X" * (MAX_TEXT_LENGTH + 1)),
    st.just("P\x001"),
)


def _harm_is_valid(cell: str | None) -> bool:
    if cell is None or not cell.strip():
        return True
    try:
        value = float(cell)
    except ValueError:
        return False
    return math.isfinite(value) and value >= 0


def _when_is_valid(cell: str) -> bool:
    if not cell:
        return False
    moment = pd.to_datetime(cell, format="ISO8601", utc=True, errors="coerce")
    tomorrow = pd.Timestamp.now(tz="Europe/London").normalize() + pd.Timedelta(days=2)
    return moment is not pd.NaT and not pd.isna(moment) and moment < tomorrow


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(ids, moments, harm_cells), min_size=1, max_size=12))
def test_each_incident_is_judged_on_its_own(rows: list[tuple[str, str, str | None]]) -> None:
    frame = pd.DataFrame(
        {
            "incident_id": [f"{i}-{row[0]}" for i, row in enumerate(rows)],
            "occurred_at": [row[1] or None for row in rows],
            "offence": "harassment",
            **{c: None for c in ("category", "weapon", "alcohol", "domestic", "hate", "outcome")},
            "harm": [row[2].strip() if row[2] else None for row in rows],
            "location_id": None,
        },
        dtype="string",
    )
    frame[ROW] = range(2, len(frame) + 2)
    checked = validate_table("incidents", frame, file="incidents.csv", harm=HARM)
    expected = [
        row[0] != "X" * (MAX_TEXT_LENGTH + 1)
        and "\x00" not in row[0]
        and _when_is_valid(row[1])
        and _harm_is_valid(row[2])
        for row in rows
    ]
    assert len(checked.rows) == sum(expected)
    assert set(checked.rejects["row"]) == {i + 2 for i, ok in enumerate(expected) if not ok}
    assert checked.rows["harm"].map(math.isfinite).all()
    again = validate_table(
        "incidents", frame[frame[ROW].isin(checked.rows[ROW])], file="x", harm=HARM
    )
    assert again.rejects.empty
