"""What every page shares: the cached driver, cached reads, the stored run a page shows (and
the explicit re-run), one way to show errors, and the map."""

from __future__ import annotations

import contextlib
import json
import math
import threading
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import neo4j
import pandas as pd
import pydeck as pdk
import streamlit as st
from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

from graphvc import audit, overview
from graphvc.analysis.projections import TIE_LAYERS
from graphvc.analysis.proportionality import proportionality
from graphvc.auth import User, local_user, user_from_claims
from graphvc.config import Settings
from graphvc.db import connect, read_cypher, run_query
from graphvc.errors import GraphvcError
from graphvc.geography import MapGeography, map_geography
from graphvc.graph_tables import default_as_of
from graphvc.reports import list_reports, read_manifest
from graphvc.runs import DEFAULT_TIE_WEIGHTS, DEFAULT_WINDOW_DAYS, AnalysisParameters, obtain_run
from graphvc.schema import graph_counts
from graphvc.stored_runs import StoredRun, list_runs, read_run_table

T = TypeVar("T")
LONDON = ZoneInfo("Europe/London")
#: The colour of the places a map highlights (purple, apart from the amber-to-red scale).
HIGHLIGHT_COLOUR = (118, 42, 131, 230)
#: The parts of the RFG score (itself a part of the priority).
RFG_PARTS = ("recency_part", "frequency_part", "gravity_part")
#: The offender list's columns a report's headlines show, beside the priority's parts.
HEADLINE_COLUMNS = ("rank", "person_id", "priority", "listed_since", "review_by")
#: The name of the thread of :func:`warm_up`.
WARM_UP_THREAD = "graphvc-warm-up"
#: How many people the dangerous people page lists at first.
LISTED = 20
#: The most rows a table shows at once (:func:`paged`).
PAGE_ROWS = 1_000


@st.cache_resource
def settings() -> Settings:
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


def current_user() -> User | None:
    """Who uses this session: the signed-in user (``None`` before sign-in), or, without
    sign-in (``GRAPHVC_AUTH=none``), the operating-system user serving the app."""
    configured = settings()
    if configured.sign_in == "none":
        return local_user(audit.system_user(), configured.local_roles)
    if not st.user.is_logged_in:
        return None
    return user_from_claims(
        st.user.to_dict(),
        roles_claim=configured.roles_claim,
        role_map=configured.role_map,
        teams_claim=configured.teams_claim,
        user_claim=configured.user_claim,
    )


def require_page(name: str) -> User:
    """The user, when their roles open page ``name``; otherwise say so and stop the page.

    Every page calls this first, before it reads anything: the router shows only the pages a
    user's roles open, and this keeps a page shut even when reached another way.
    """
    user = current_user()
    if user is None or not user.may_open(name):
        who = "nobody is signed in" if user is None else f"{user.name} may not open it"
        st.error(f"This page is closed: {who}.", icon=":material/lock:")
        st.stop()
        raise AssertionError("unreachable")  # st.stop() raises
    return user


def _client() -> str:
    """From where: the app and the client's address (Streamlit gives none for a client on
    this machine)."""
    address = st.context.ip_address
    return f"app:{address}" if address else "app:localhost"


def audited(
    action: str, *, person_ids: Iterable[str] = (), what: Mapping[str, Any] | None = None
) -> None:
    """Record what the page is about to show in the audit trail, under the signed-in user,
    once per session for the same event; when the event cannot be written, say so and stop
    the page (fail closed)."""
    people = sorted({str(p) for p in person_ids})
    key = json.dumps([action, people, dict(what or {})], sort_keys=True, default=str)
    seen: set[str] = st.session_state.setdefault("_audited", set())
    if key in seen:
        return
    user = current_user()
    try:
        audit.record(settings().audit_dir, action, user=user.name if user else "anonymous",
                     person_ids=people, what=what, source=_client())  # fmt: skip
    except GraphvcError as e:
        st.error(str(e), icon=":material/error:")
        st.stop()
    seen.add(key)


def audited_export(
    make: Callable[[], bytes | str],
    *,
    person_ids: Callable[[], Iterable[str]] | Iterable[str] = (),
    what: Mapping[str, Any],
) -> Callable[[], bytes | str]:
    """The data of a download button, made only when the user clicks it, after the export is
    recorded in the audit trail (``person_ids`` may be a function, called then); when the
    event cannot be written the download fails instead (fail closed)."""
    user = current_user()
    name = user.name if user else "anonymous"
    folder, source = settings().audit_dir, _client()

    def exported() -> bytes | str:
        people = person_ids() if callable(person_ids) else person_ids
        audit.record(folder, "export", user=name, person_ids=people, what=what, source=source)
        return make()

    return exported


def guarded(action: Callable[[], T]) -> T:
    """Run ``action``; on a graphvc error show its message on the page and stop the page."""
    try:
        return action()
    except GraphvcError as e:
        st.error(str(e), icon=":material/error:")
        st.stop()
        raise  # st.stop() raises; this line only satisfies type checkers


def attempted(action: Callable[[], T]) -> T | None:
    """Run ``action``; on a graphvc error show its message and carry on with ``None``."""
    try:
        return action()
    except GraphvcError as e:
        st.error(str(e), icon=":material/error:")
        return None


@st.cache_data(ttl=60, show_spinner=False)
def _counts() -> dict[str, int]:
    return graph_counts(driver(), database=settings().neo4j_database)


def require_graph() -> dict[str, int]:
    """The graph's counts; on an empty graph, say so and stop the page."""
    counts = guarded(_counts)
    if counts["Incident"] == 0 and counts["Person"] == 0:
        st.info(
            "The graph is empty: load a folder with `graphvc load DIR`, or run `make demo` for "
            "a synthetic London.",
            icon=":material/info:",
        )
        st.stop()
    return counts


def boroughs() -> dict[str, str]:
    """Borough code -> name, for filters."""
    table = guarded(lambda: library_query("app/boroughs"))
    return dict(zip(table["code"], table["name"], strict=True)) if len(table) else {}


def picture(svg: str) -> None:
    """An SVG picture of :mod:`graphvc.reports.charts` on the page, its tooltips live.

    Drawn as Markdown's raw HTML (in a ``div``, so no Markdown touches it): ``st.html``
    sanitises SVG away, and ``st.image`` would draw it without its tooltips. It shrinks to
    fit a narrow column.
    """
    fitted = svg.replace("<svg ", '<svg style="max-width: 100%; height: auto" ', 1)
    st.markdown(f'<div class="graphvc-picture">{fitted}</div>', unsafe_allow_html=True)


def table(frame: pd.DataFrame, *, empty: str) -> None:
    """``frame`` as a table (a named index as its first columns), a page at a time
    (:func:`paged`, its page number keyed by ``empty``), or ``empty`` when it has no row."""
    if frame.empty:
        st.info(empty)
    else:
        named = any(name is not None for name in frame.index.names)
        shown = paged(frame.reset_index() if named else frame, key=f"page:{empty}")
        st.dataframe(shown, hide_index=True, width="stretch")


def paged(frame: pd.DataFrame, *, key: str) -> pd.DataFrame:
    """``frame``, or when it has more than :data:`PAGE_ROWS` rows one page of them, chosen
    by a page number (widget ``key``) and said in a caption: a browser given hundreds of
    thousands of rows takes seconds to draw the page."""
    if len(frame) <= PAGE_ROWS:
        return frame
    pages = math.ceil(len(frame) / PAGE_ROWS)
    number = int(st.number_input(f"Page (of {pages:,})", 1, pages, 1, key=key))
    first = (number - 1) * PAGE_ROWS
    shown = frame.iloc[first : first + PAGE_ROWS]
    st.caption(f"Rows {first + 1:,} to {first + len(shown):,} of {len(frame):,}.")
    return shown


def top_slider(label: str, available: int, default: int) -> int:
    """How many of ``available`` rows to show, chosen on a slider (no slider for one row)."""
    if available <= 1:
        return available
    return int(st.slider(label, 1, available, min(default, available)))


def window(start: date | None, end: date | None) -> tuple[datetime | None, datetime | None]:
    """Calendar days picked on a page as ``[start, end)`` moments in London: ``end`` is included."""
    return (
        datetime.combine(start, time(), LONDON) if start else None,
        datetime.combine(end + timedelta(days=1), time(), LONDON) if end else None,
    )


@st.cache_data(ttl=600, show_spinner=False)
def latest_as_of() -> date:
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


@st.cache_resource(show_spinner=False)
def warm_up() -> threading.Thread:
    """Once per app process, when its first visitor arrives, read in the background what the
    first pages show: the graph's counts, the stored runs, the newest run's overview and list
    of people, the reports and the maps' geography (the synthetic city takes about a second
    to generate). The pages read the same caches, so no analyst's first page waits for it;
    a failure here only leaves a page to read (and report) for itself."""

    def read() -> None:
        with contextlib.suppress(Exception):
            _counts()
            reports()
            map_outlines()
            newest = next(iter(stored_runs()), None)
            if newest is not None:
                overview_by_month(newest.id, None)
                listed = run_table(newest.id, "people", rows=min(LISTED, newest.ranked))
                list_proportionality(newest.id, tuple(listed.index))

    thread = threading.Thread(target=read, name=WARM_UP_THREAD, daemon=True)
    add_script_run_ctx(thread, get_script_run_ctx())
    thread.start()
    return thread


def rerun_analysis(parameters: AnalysisParameters) -> StoredRun:
    """Run the analysis on the graph and store it as a new run, showing its progress: the
    app's one write, asked for explicitly (:func:`graphvc.runs.obtain_run`, as ``graphvc
    analyse`` stores its runs), recorded in the audit trail first."""
    audited("analyse", what={"parameters": parameters.as_dict()})
    with st.status("Running the analysis…", expanded=True) as status:
        status.write("Reading the graph, running every measure and writing the scores back…")
        stored = obtain_run(
            driver(),
            parameters,
            runs_dir=settings().runs_dir,
            reuse=False,
            store=True,
            keep=settings().keep_runs,
            database=settings().neo4j_database,
        ).stored
        assert stored is not None, "store=True stores the run"
        status.update(label=f"Run {stored.id} stored", state="complete", expanded=False)
    stored_runs.clear()
    return stored


def _rerun_form(current: StoredRun | None) -> AnalysisParameters | None:
    """The sidebar's "Run the analysis…" with its as-of, window, seed and ties; the parameters
    asked for when it is submitted."""
    with st.popover("Run the analysis…", icon=":material/play_arrow:"), st.form("rerun"):
        as_of = st.date_input(
            "As of (excluded)", key="rerun_as_of",
            value=current.as_of.date() if current else guarded(latest_as_of),
            help="The analysis looks back from this day; default: the day after the latest incident.",
        )  # fmt: skip
        window_days = st.number_input(
            "Window (days)", min_value=30, max_value=3650, step=30, key="rerun_window_days",
            value=current.window_days if current else DEFAULT_WINDOW_DAYS,
        )  # fmt: skip
        seed = st.number_input(
            "Seed", min_value=0, step=1, key="rerun_seed",
            value=int(current.parameters["seed"]) if current else 0,
        )  # fmt: skip
        chosen = current.ties if current else DEFAULT_TIE_WEIGHTS
        layers = st.multiselect(
            "Ties", TIE_LAYERS, default=list(chosen), key="rerun_ties",
            help="The layers the person network is built from: shared incidents (co-offending) "
            "and each type of intelligence link.",
        )  # fmt: skip
        weights = {
            layer: float(st.number_input(f"Weight of {layer}", min_value=0.1, max_value=100.0,
                         value=float(chosen.get(layer, DEFAULT_TIE_WEIGHTS[layer])), step=0.5,
                         key=f"rerun_tie_weight_{layer}"))
            for layer in TIE_LAYERS
        }  # fmt: skip
        if not st.form_submit_button("Analyse now", type="primary"):
            return None
    if not layers:
        st.error("Choose at least one tie layer.", icon=":material/error:")
        return None
    return AnalysisParameters(
        as_of=pd.Timestamp(as_of), window_days=int(window_days), seed=int(seed),
        tie_weights={layer: weights[layer] for layer in layers},
    )  # fmt: skip


def _run_label(run: StoredRun) -> str:
    ties = ", ".join(run.ties)
    return f"{run.as_of.date()} · {run.window_days} days · {ties} · {run.finished_at:%d %b %H:%M}"


def stored_run() -> StoredRun:
    """The stored run the page shows, with its header (:func:`run_header`); without a stored
    run, the page says so and stops."""
    require_graph()
    run = run_header()
    if run is None:
        st.stop()
        raise RuntimeError  # st.stop() raises; this line only satisfies type checkers
    return run


def run_header() -> StoredRun | None:
    """The stored run the page shows, and its header under the page's title.

    The newest run unless another is picked in the sidebar, where "Run the analysis…" is the
    only way to analyse again. Without a stored run the page says so in one line.
    """
    available = guarded(stored_runs)
    by_id = {run.id: run for run in available}
    switched = st.session_state.pop("_switch_run", None)
    if switched in by_id or st.session_state.get("run_id") not in by_id:
        st.session_state["run_id"] = switched if switched in by_id else next(iter(by_id), None)
    with st.sidebar:
        st.subheader("Analysis")
        if available:
            st.selectbox(
                "Stored run", list(by_id), key="run_id", format_func=lambda i: _run_label(by_id[i]),
                help="The runs graphvc analyse (or the button below) stored, newest first.",
            )  # fmt: skip
        user = current_user()
        # Analysing again writes scores: for analysts only (a reader's overview only reads).
        may_rerun = user is not None and "analyst" in user.roles
        asked = _rerun_form(by_id.get(st.session_state.get("run_id", ""))) if may_rerun else None
    if asked is not None:
        require_graph()
        stored = guarded(lambda: rerun_analysis(asked))
        st.session_state["_switch_run"] = stored.id
        st.rerun()
    run = by_id.get(st.session_state.get("run_id", ""))
    if run is None:
        st.info(
            "No analysis is stored yet: run `graphvc analyse`, or Run the analysis… in the "
            "sidebar.",
            icon=":material/info:",
        )
        return None
    summary = run.summary
    st.caption(
        f"Analysis {run.describe()}. {summary['incidents_in_window']:,} incidents in the "
        f"window; {summary['people_in_network']:,} people and {summary['network_links']:,} "
        f"links in the network; priority from {', '.join(summary['priority_parts']) or '–'}; "
        f"betweenness {summary['betweenness']}."
    )
    if "note" in summary:
        st.info(summary["note"], icon=":material/info:")
    return run


def fitted_view(places: pd.DataFrame, *, pitch: float = 0) -> pdk.ViewState:
    """The view that fits the ``latitude``/``longitude`` of ``places`` (central London when
    there are none)."""
    centre, zoom = (51.5072, -0.1276), 9.5
    if len(places):
        centre = (float(places["latitude"].mean()), float(places["longitude"].mean()))
        # The zoom that fits the places in about 500 x 380 pixels (Web Mercator: 256 pixels
        # span 360° at zoom 0; a degree of latitude in London draws 1.6 times a longitude's).
        width = max(float(places["longitude"].max() - places["longitude"].min()), 0.005)
        height = max(float(places["latitude"].max() - places["latitude"].min()), 0.003) * 1.6
        fit = min(math.log2(500 * 360 / (256 * width)), math.log2(380 * 360 / (256 * height)))
        zoom = min(14.0, max(8.5, fit - 0.9))  # a margin for the tilt and the labels
    return pdk.ViewState(latitude=centre[0], longitude=centre[1], zoom=zoom, pitch=pitch)


def place_map(
    places: pd.DataFrame,
    *,
    value: str,
    label: str,
    tooltip: str,
    radius: float,
    columns: bool = True,
    labelled: int = 40,
    outlines: Mapping[str, Mapping[str, Any]] | None = None,
    highlight: str | None = None,
) -> pdk.Deck:
    """Places at ``latitude``/``longitude`` drawn by ``value``: columns whose height and colour
    follow it, or (``columns=False``, for many small places) dots whose area does; the places
    true in the boolean column ``highlight`` are drawn in :data:`HIGHLIGHT_COLOUR` instead. The
    ``labelled`` places with the largest values are named by their ``label`` column. Beneath
    them, the ward and borough ``outlines`` (GeoJSON by level, from
    :func:`map_outlines`) so a reader can tell one borough from another without a tile
    server; no base map is fetched."""
    shown = places.dropna(subset=["latitude", "longitude"]).sort_values(value, ascending=False)
    largest = float(shown[value].max()) if len(shown) else 0.0
    share = shown[value] / largest if largest > 0 else shown[value] * 0.0
    colours: Any = [(200, int(180 * (1 - h)), 40, 200) for h in share]  # amber to red
    if highlight is not None:
        colours = [
            HIGHLIGHT_COLOUR if marked else colour
            for marked, colour in zip(shown[highlight], colours, strict=True)
        ]
    shown = shown.assign(
        _share=share, _radius=radius * share.clip(lower=0.02) ** 0.5, _colour=colours
    )
    common = {"data": shown, "get_position": ["longitude", "latitude"],
              "get_fill_color": "_colour", "pickable": True, "auto_highlight": True}  # fmt: skip
    places_layer = (
        pdk.Layer("ColumnLayer", get_elevation="_share", elevation_scale=radius * 8,
                  radius=radius, **common)
        if columns
        else pdk.Layer("ScatterplotLayer", get_radius="_radius", radius_min_pixels=2,
                       opacity=0.8, **common)
    )  # fmt: skip
    labels = pdk.Layer(
        "TextLayer",
        data=shown.head(labelled),
        get_position=["longitude", "latitude"],
        get_text=label,
        get_size=12,
        get_color=[40, 40, 40, 220],
        get_alignment_baseline="'top'",
    )
    drawn = [
        pdk.Layer("GeoJsonLayer", data=dict(shape), stroked=True, filled=False,
                  get_line_color=colour, line_width_min_pixels=width, pickable=False)
        for level, colour, width in (("ward", [150, 150, 150, 120], 0.5),
                                     ("borough", [60, 60, 60, 220], 1.5))
        if (shape := (outlines or {}).get(level))
    ]  # fmt: skip
    return pdk.Deck(
        layers=[*drawn, places_layer, labels],
        initial_view_state=fitted_view(shown, pitch=45 if columns else 0),
        map_style=None,
        map_provider=None,
        tooltip={"text": tooltip},
    )


@st.cache_data(ttl=600, show_spinner=False)
def map_outlines() -> MapGeography:
    """The graph's city (the synthetic city or London) and its outlines, for every map."""
    return map_geography(settings().home, boroughs())


def geography_caption() -> None:
    """Say which city the maps show, and how their outlines were made."""
    city = map_outlines()
    if not city.outlines:
        how = "no outlines installed (graphvc data install adds London's)"
    elif city.approximate:
        how = "outlines approximate: Voronoi cells of the LSOA centroids, by ward and borough"
    else:
        how = "outlines generated with the city"
    st.caption(f"Geography: {city.name}; {how}.")


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


def report_headlines(report: pd.Series) -> None:
    """A report's key figures and the head of its offender list."""
    manifest = guarded(lambda: read_manifest(Path(report["path"])))
    summary = manifest.get("data", {}).get("analysis", {})
    figures = {
        "incidents_in_window": "Incidents in the window",
        "people_in_network": "People in the network",
        "communities": "Communities",
        "repeat_victims": "Repeat victims",
        "domestic_repeat_pairs": "Domestic repeat pairs",
        "escalated_to_knife_or_gun": "Escalated to knife or gun",
    }
    columns = st.columns(len(figures))
    for column, (key, title) in zip(columns, figures.items(), strict=True):
        column.metric(title, f"{summary[key]:,}" if isinstance(summary.get(key), int) else "–")
    offenders = Path(report["path"]) / "offenders.csv"
    if offenders.is_file():
        # The head of the list, not all its forty columns: who, their priority and its parts.
        top = pd.read_csv(
            offenders, dtype={"person_id": "string"}, nrows=5,
            usecols=lambda c: c in HEADLINE_COLUMNS or (c.endswith("_part") and c not in RFG_PARTS),
        )  # fmt: skip
        audited("report.view", person_ids=top["person_id"].dropna(),
                what={"report": str(report["path"]), "file": offenders.name, "rows": len(top)})  # fmt: skip
        st.dataframe(top, hide_index=True, width="stretch")
