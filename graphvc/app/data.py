"""The app's cached reads: its settings and driver, the Cypher library's app queries, the
stored runs and their tables, the reports, the maps' geography, and the warm-up that reads
the first pages' share of them in the background.

Nothing here draws: a failed read raises its :class:`graphvc.errors.GraphvcError`, which a
page shows with :func:`graphvc.app.access.guarded`. Pages call these as ``data.name(...)``,
looked up when called, so that a test can swap one read for the whole app.
"""

from __future__ import annotations

import contextlib
import threading
from datetime import date
from pathlib import Path
from typing import Any

import neo4j
import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

from graphvc import overview
from graphvc.analysis.proportionality import proportionality
from graphvc.config import Settings
from graphvc.db import connect, read_cypher, run_query
from graphvc.geography import MapGeography, map_geography
from graphvc.graph_tables import default_as_of
from graphvc.reports import list_reports
from graphvc.schema import graph_counts
from graphvc.stored_runs import StoredRun, list_runs, read_run_columns, read_run_table

__all__ = [
    "LISTED",
    "PEOPLE_FILTERED_BY",
    "WARM_UP_THREAD",
    "boroughs",
    "counts",
    "driver",
    "latest_as_of",
    "library_query",
    "list_proportionality",
    "map_outlines",
    "overview_by_month",
    "overview_tables",
    "people_filter_keys",
    "report_people",
    "reports",
    "reports_dir",
    "run_columns",
    "run_table",
    "settings",
    "stored_runs",
    "warm_up",
]

#: The name of the thread of :func:`warm_up`.
WARM_UP_THREAD = "graphvc-warm-up"
#: How many people the dangerous people page lists at first (and the warm-up reads).
LISTED = 20
#: The columns of a run's people table its list's filters read (those the run has).
PEOPLE_FILTERED_BY = ("borough_name", "ward_name", "last_offence_at", "last_offending")


@st.cache_resource
def settings() -> Settings:
    """The app's settings, read from the environment once per app process."""
    return Settings.from_env()


@st.cache_resource
def driver() -> neo4j.Driver:
    """One driver for the app's lifetime (the server must already run: `graphvc app` starts it)."""
    return connect(settings())


@st.cache_data(ttl=300, show_spinner=False)
def library_query(name: str, parameters: tuple[tuple[str, Any], ...] = ()) -> pd.DataFrame:
    """Run ``cypher/<name>.cypher`` in a read transaction; cached for five minutes."""
    return run_query(
        driver(),
        read_cypher(name),
        dict(parameters),
        database=settings().neo4j_database,
        timeout=settings().query_timeout,
    )


@st.cache_data(ttl=60, show_spinner=False)
def counts() -> dict[str, int]:
    """The graph's nodes by label (:func:`graphvc.schema.graph_counts`)."""
    return graph_counts(driver(), database=settings().neo4j_database)


def boroughs() -> dict[str, str]:
    """Borough code -> name, for filters."""
    found = library_query("app/boroughs")
    return dict(zip(found["code"], found["name"], strict=True)) if len(found) else {}


@st.cache_data(ttl=600, show_spinner=False)
def latest_as_of() -> date:
    """The day after the graph's latest incident: the default as-of of a new run."""
    return default_as_of(driver(), database=settings().neo4j_database).date()


@st.cache_data(ttl=30, show_spinner=False)
def stored_runs() -> list[StoredRun]:
    """The stored analysis runs, newest first (a few small rows: the nodes, not the tables)."""
    return list_runs(driver(), database=settings().neo4j_database)


@st.cache_data(max_entries=64, show_spinner=False)
def run_table(
    run_id: str, name: str, rows: int | None = None, columns: tuple[str, ...] | None = None
) -> pd.DataFrame:
    """Table ``name`` of stored run ``run_id`` (its first ``rows``, or some ``columns``);
    cached without expiry, since a stored run never changes."""
    return read_run_table(settings().runs_dir, run_id, name, rows=rows, columns=columns)


@st.cache_data(max_entries=64, show_spinner=False)
def run_columns(run_id: str, name: str) -> tuple[str, ...]:
    """The columns of table ``name`` of stored run ``run_id`` (a run stored before a column
    was added lacks it)."""
    return read_run_columns(settings().runs_dir, run_id, name)


def people_filter_keys(run_id: str) -> pd.DataFrame:
    """The whole people list of stored run ``run_id``, only the columns its filters read
    (:data:`PEOPLE_FILTERED_BY`): the filters pick from everyone, not the first rows."""
    present = run_columns(run_id, "people")
    chosen = tuple(c for c in PEOPLE_FILTERED_BY if c in present)
    return run_table(run_id, "people", columns=chosen)


@st.cache_data(max_entries=8, show_spinner=False)
def overview_tables(run_id: str) -> dict[str, pd.DataFrame]:
    """The overview's tables of stored run ``run_id`` (:mod:`graphvc.overview`), summed once
    per app process from its ``incident_months``: ``months``, ``by_category``, ``by_borough``
    and ``borough_category``."""
    months = run_table(run_id, "incident_months")
    return {
        "months": months,
        "by_category": overview.by_category(months),
        "by_borough": overview.by_borough(months, run_table(run_id, "locations")),
        "borough_category": overview.borough_by_category(months),
    }


@st.cache_data(max_entries=64, show_spinner=False)
def overview_by_month(run_id: str, borough: str | None) -> pd.DataFrame:
    """Stored run ``run_id``'s incidents by month and category, in one borough or all."""
    return overview.by_month(overview_tables(run_id)["months"], borough)


@st.cache_data(max_entries=32, show_spinner=False)
def list_proportionality(run_id: str, person_ids: tuple[str, ...]) -> pd.DataFrame:
    """:func:`graphvc.analysis.proportionality.proportionality` of these people of stored
    run ``run_id`` beside everyone the run scored (its ``persons``, when all are scored)."""
    persons = run_table(run_id, "persons")
    scored = run_table(run_id, "people", columns=("priority",))
    population = None
    if scored["priority"].notna().sum() < len(persons):
        population = scored.dropna(subset=["priority"]).index
    return proportionality(list(person_ids), persons, population=population)


@st.cache_data(ttl=600, show_spinner=False)
def map_outlines() -> MapGeography:
    """The graph's city (the synthetic city or London) and its outlines, for every map."""
    return map_geography(settings().home, boroughs())


def reports_dir() -> Path:
    """Where the scheduled reports are written (``GRAPHVC_REPORTS_DIR``, default ``./reports``)."""
    return settings().reports_dir


@st.cache_data(ttl=60, show_spinner=False)
def reports() -> pd.DataFrame:
    """The complete reports, newest first (``graphvc.reports.list_reports``)."""
    return list_reports(reports_dir())


@st.cache_data(show_spinner=False)
def report_people(paths: tuple[Path, ...]) -> list[str]:
    """The person ids a report's files name (their ``person_id`` columns), for the audit
    trail of a view or download; cached, since a published report never changes."""
    people: set[str] = set()
    for path in paths:
        if path.suffix == ".csv":
            header = pd.read_csv(path, nrows=0).columns
            if "person_id" in header:
                ids = pd.read_csv(path, usecols=["person_id"], dtype="string")["person_id"]
                people.update(ids.dropna())
    return sorted(people)


@st.cache_resource(show_spinner=False)
def warm_up() -> threading.Thread:
    """Once per app process, when its first visitor arrives, read in the background what the
    first pages show: the graph's counts, the stored runs, the newest run's overview and list
    of people, the reports and the maps' geography (the synthetic city takes about a second
    to generate). The pages read the same caches, so no analyst's first page waits for it;
    a failure here only leaves a page to read (and report) for itself."""

    def read() -> None:
        with contextlib.suppress(Exception):
            counts()
            reports()
            map_outlines()
            newest = next(iter(stored_runs()), None)
            if newest is not None:
                overview_by_month(newest.id, None)
                listed = run_table(newest.id, "people", rows=min(LISTED, newest.ranked))
                list_proportionality(newest.id, tuple(listed.index))
                people_filter_keys(newest.id)

    thread = threading.Thread(target=read, name=WARM_UP_THREAD, daemon=True)
    add_script_run_ctx(thread, get_script_run_ctx())
    thread.start()
    return thread
