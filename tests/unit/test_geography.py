"""The maps' geography: the synthetic city's outlines, generated once per home."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphvc import geography
from graphvc.synth import synthetic_city


def test_the_city_outlines_are_kept_in_the_home_and_read_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = geography.city_outlines(tmp_path)
    city = synthetic_city(geography.CITY_SEED)
    assert [len(first[level]["features"]) for level in ("ward", "borough")] == [
        len(city.outlines[level]["features"]) for level in ("ward", "borough")
    ]
    [kept] = (tmp_path / "cache").iterdir()

    def no_generating() -> None:
        raise AssertionError("the city was generated again")

    monkeypatch.setattr(geography, "_city", no_generating)
    assert geography.city_outlines(tmp_path) == first
    assert geography.map_geography(tmp_path, ["Z09000001"]).outlines == first

    kept.write_text("{not json", encoding="utf-8")  # a damaged file is made again
    monkeypatch.undo()
    assert geography.city_outlines(tmp_path) == first


def test_a_home_that_cannot_keep_them_still_gets_the_outlines(tmp_path: Path) -> None:
    (tmp_path / "cache").write_text("a file where the cache folder should be")
    outlines = geography.city_outlines(tmp_path)
    assert set(outlines) == {"ward", "borough"}
    assert (tmp_path / "cache").is_file()
