"""A run reads only the incidents of its widest window, and every measure is as on the whole graph."""

from __future__ import annotations

import gc
from pathlib import Path

import neo4j
import networkx as nx
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from graphvc.graph_tables import canonical, read_graph_tables
from graphvc.runs import AnalysisParameters, AnalysisResult, analyse, obtain_run
from graphvc.synth import generate, synthetic_city, write
from loaders.folder import load_folder

#: A short window in the middle of the synthetic years (2023 to 2025): incidents before the
#: network window, between it and the victims' window, and after the as-of.
PARAMETERS = AnalysisParameters(
    as_of=pd.Timestamp("2025-01-01"), window_days=180, repeat_window_days=90
)
FRAMES = (
    "events",
    "people",
    "repeat_victims",
    "domestic_repeats",
    "exposure",
    "overlap",
    "escalation",
)


@pytest.fixture(scope="module")
def synthetic_graph(
    empty_graph: neo4j.Driver, tmp_path_factory: pytest.TempPathFactory
) -> neo4j.Driver:
    folder: Path = tmp_path_factory.mktemp("synthetic")
    write(generate(1500, seed=4, geography=synthetic_city(4)), folder)
    load_folder(empty_graph, folder)
    return empty_graph


@pytest.fixture(scope="module")
def windowed(synthetic_graph: neo4j.Driver) -> AnalysisResult:
    return obtain_run(synthetic_graph, PARAMETERS).result


@pytest.fixture(scope="module")
def whole(synthetic_graph: neo4j.Driver) -> dict[str, pd.DataFrame]:
    return read_graph_tables(synthetic_graph)


def test_the_graph_spans_well_beyond_the_window(whole: dict[str, pd.DataFrame]) -> None:
    occurred = whole["incidents"]["occurred_at"]
    start = pd.Timestamp(PARAMETERS.windows()["network"]["start"])
    assert (occurred < start - pd.Timedelta(days=365)).sum() > 100
    assert (occurred >= PARAMETERS.moment).sum() > 100


def test_a_run_reads_the_incidents_before_its_as_of_and_their_involvements(
    windowed: AnalysisResult, whole: dict[str, pd.DataFrame]
) -> None:
    before = whole["incidents"][whole["incidents"]["occurred_at"] < PARAMETERS.moment]
    filtered = dict(whole) | {
        "incidents": before,
        "involvements": whole["involvements"][
            whole["involvements"]["incident_id"].isin(before["incident_id"])
        ],
    }
    assert set(windowed.tables) == set(filtered)
    for name, frame in filtered.items():
        assert_frame_equal(windowed.tables[name], canonical(name, frame))
    assert windowed.summary["incidents"] == len(before) < len(whole["incidents"])


def test_every_measure_is_as_on_the_whole_graph(
    windowed: AnalysisResult, whole: dict[str, pd.DataFrame]
) -> None:
    reference = analyse(whole, PARAMETERS)
    assert len(windowed.people) > 20 and len(windowed.escalation) > 20
    for name in FRAMES:
        assert_frame_equal(getattr(windowed, name), getattr(reference, name), obj=name)
    for level, frame in reference.places.items():
        assert_frame_equal(windowed.places[level], frame, obj=level)
    assert nx.utils.graphs_equal(windowed.graph, reference.graph)
    differs = {"incidents"}  # the whole graph's count includes the incidents after the as-of
    assert {k: v for k, v in windowed.summary.items() if k not in differs} == {
        k: v for k, v in reference.summary.items() if k not in differs
    }


def test_the_read_gives_what_the_tables_loaded_give(synthetic_graph: neo4j.Driver) -> None:
    # Times come back as epoch milliseconds made London wall-clock time, across summer time.
    loaded = generate(1500, seed=4, geography=synthetic_city(4))
    read = read_graph_tables(synthetic_graph)
    expected = pd.to_datetime(loaded.tables["incidents"]["occurred_at"], format="ISO8601")
    got = read["incidents"].set_index("incident_id")["occurred_at"]
    assert (
        got.loc[loaded.tables["incidents"]["incident_id"]].to_numpy() == expected.to_numpy()
    ).all()
    in_memory = analyse(loaded.tables, PARAMETERS)
    through_the_graph = analyse(read, PARAMETERS)
    assert_frame_equal(through_the_graph.people, in_memory.people, check_dtype=False)
    assert through_the_graph.summary == in_memory.summary


def test_the_read_pauses_the_garbage_collector_and_leaves_it_as_it_found_it(
    synthetic_graph: neo4j.Driver,
) -> None:
    # Thousands of rows decoded: with the collector running, its passes would start here.
    # The counts start from nothing, so no pass falls due on the way in.
    passes: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            passes.append(info["generation"])

    gc.callbacks.append(count)
    try:
        gc.enable()
        gc.collect()
        passes.clear()
        read = read_graph_tables(synthetic_graph)
        during, enabled_after = list(passes), gc.isenabled()
        gc.disable()
        read_graph_tables(synthetic_graph)
        disabled_after = not gc.isenabled()
    finally:
        gc.callbacks.remove(count)
        gc.enable()
    # One pass falls due as it resumes, over what the read allocated; without the pause,
    # dozens run during the read.
    assert len(during) <= 1
    assert enabled_after and disabled_after
    assert len(read["involvements"]) > len(read["incidents"]) > 1000
