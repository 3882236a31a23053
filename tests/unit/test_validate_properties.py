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


#: What may stand around an id in a file a loader reads: spaces of every kind and the
#: invisible characters a copy and paste leaves.
padding = st.text(alphabet=" \t\u00a0\u2003\u3000\u200b\u200d\u2060\ufeff", max_size=3)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(padding, st.sampled_from(["A", "B", "C", ""]), padding), max_size=8))
def test_an_id_is_read_without_what_stands_around_it(rows: list[tuple[str, str, str]]) -> None:
    """Whatever loader made the table (a folder, police.uk, a network file), ``" A "`` is the
    person ``A``, loaded once; an id of nothing but padding is rejected as blank."""
    cells = [before + bare + after for before, bare, after in rows]
    frame = pd.DataFrame({"person_id": cells, "age_band": "18-24"}, dtype="string")
    frame[ROW] = range(2, len(frame) + 2)
    for column in ("name", "date_of_birth", "postcode", "pnc_id", "sex", "ethnicity"):
        frame[column] = pd.Series(pd.NA, index=frame.index, dtype="string")
    checked = validate_table("persons", frame, file="persons.csv", harm=HARM)
    bare_ids = [bare for _, bare, _ in rows]
    first = [bool(bare) and bare not in bare_ids[:i] for i, bare in enumerate(bare_ids)]
    loaded = [bare for bare, ok in zip(bare_ids, first, strict=True) if ok]
    assert checked.rows["person_id"].tolist() == loaded
    rejects = checked.rejects.set_index("row")
    for i, (cell, bare) in enumerate(zip(cells, bare_ids, strict=True)):
        if not bare:
            expected = "required value is missing" if cell == "" else "blank: only spaces"
            assert rejects.loc[[i + 2], "reason"].str.startswith(expected).any(), (cell, rejects)
            assert cell in rejects.loc[[i + 2], "value"].tolist()
        elif not first[i]:
            assert rejects.loc[[i + 2], "reason"].str.startswith("duplicate person_id").any()
    assert set(rejects.index) == {i + 2 for i, ok in enumerate(first) if not ok}


def test_dates_before_the_contracts_earliest_are_rejected_and_none_reach_neo4j_unparsable() -> None:
    frame = pd.DataFrame(
        {
            "incident_id": ["I1", "I2", "I3", "I4", "I5"],
            "occurred_at": [
                "1800-06-01T10:00:00",
                "1500-01-01",
                "0001-01-01T00:00:00",
                "1899-12-31T23:59:59",
                "1900-01-01T00:00:00",
            ],
            "offence": "harassment",
        },
        dtype="string",
    )
    for column in ("category", "weapon", "alcohol", "domestic", "hate", "harm", "outcome"):
        frame[column] = pd.Series(pd.NA, index=frame.index, dtype="string")
    frame["location_id"] = pd.Series(pd.NA, index=frame.index, dtype="string")
    frame[ROW] = range(2, 7)
    checked = validate_table("incidents", frame, file="incidents.csv", harm=HARM)
    assert checked.rows["incident_id"].tolist() == ["I5"]
    assert checked.rows["occurred_at"].tolist() == ["1900-01-01T00:00:00+00:00"]
    assert set(checked.rejects["row"]) == {2, 3, 4, 5}
    assert (checked.rejects["field"] == "occurred_at").all()
