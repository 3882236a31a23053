"""Which stored run a page shows: the sidebar's choice of stored run (the newest by default),
the run's header under the page's title, and "Run the analysis…", the app's one write."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from graphvc.analysis.projections import TIE_LAYERS
from graphvc.app import data
from graphvc.app.access import audited, current_user, guarded, require_graph
from graphvc.runs import DEFAULT_TIE_WEIGHTS, DEFAULT_WINDOW_DAYS, AnalysisParameters, obtain_run
from graphvc.stored_runs import StoredRun

__all__ = ["rerun_analysis", "run_header", "stored_run"]


def rerun_analysis(parameters: AnalysisParameters) -> StoredRun:
    """Run the analysis on the graph and store it as a new run, showing its progress: the
    app's one write, asked for explicitly (:func:`graphvc.runs.obtain_run`, as ``graphvc
    analyse`` stores its runs), recorded in the audit trail first."""
    audited("analyse", what={"parameters": parameters.as_dict()})
    settings = data.settings()
    with st.status("Running the analysis…", expanded=True) as status:
        status.write("Reading the graph, running every measure and writing the scores back…")
        stored = obtain_run(
            data.driver(),
            parameters,
            runs_dir=settings.runs_dir,
            reuse=False,
            store=True,
            keep=settings.keep_runs,
            database=settings.neo4j_database,
        ).stored
        assert stored is not None, "store=True stores the run"
        status.update(label=f"Run {stored.id} stored", state="complete", expanded=False)
    data.stored_runs.clear()
    return stored


def _tie_weights(chosen: dict[str, float]) -> dict[str, float]:
    """A weight for every tie layer, each on its own number input (of the form)."""
    return {
        layer: float(
            st.number_input(
                f"Weight of {layer}",
                min_value=0.1,
                max_value=100.0,
                value=float(chosen.get(layer, DEFAULT_TIE_WEIGHTS[layer])),
                step=0.5,
                key=f"rerun_tie_weight_{layer}",
            )
        )
        for layer in TIE_LAYERS
    }


def _rerun_form(current: StoredRun | None) -> AnalysisParameters | None:
    """The sidebar's "Run the analysis…" with its as-of, window, seed and ties; the parameters
    asked for when it is submitted."""
    with st.popover("Run the analysis…", icon=":material/play_arrow:"), st.form("rerun"):
        as_of = st.date_input(
            "As of (excluded)",
            key="rerun_as_of",
            value=current.as_of.date() if current else guarded(data.latest_as_of),
            help="The analysis looks back from this day; default: the day after the latest "
            "incident.",
        )
        window_days = st.number_input(
            "Window (days)",
            min_value=30,
            max_value=3650,
            step=30,
            key="rerun_window_days",
            value=current.window_days if current else DEFAULT_WINDOW_DAYS,
        )
        seed = st.number_input(
            "Seed",
            min_value=0,
            step=1,
            key="rerun_seed",
            value=int(current.parameters["seed"]) if current else 0,
        )
        chosen = current.ties if current else DEFAULT_TIE_WEIGHTS
        layers = st.multiselect(
            "Ties",
            TIE_LAYERS,
            default=list(chosen),
            key="rerun_ties",
            help="The layers the person network is built from: shared incidents (co-offending) "
            "and each type of intelligence link.",
        )
        weights = _tie_weights(dict(chosen))
        if not st.form_submit_button("Analyse now", type="primary"):
            return None
    if not layers:
        st.error("Choose at least one tie layer.", icon=":material/error:")
        return None
    return AnalysisParameters(
        as_of=pd.Timestamp(as_of),
        window_days=int(window_days),
        seed=int(seed),
        tie_weights={layer: weights[layer] for layer in layers},
    )


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


def _picked_run(available: list[StoredRun]) -> StoredRun | None:
    """The sidebar's stored run (the one just made by a re-run, else the one picked, else the
    newest), and, for an analyst, "Run the analysis…", which stores a new run and shows it."""
    by_id = {run.id: run for run in available}
    switched = st.session_state.pop("_switch_run", None)
    if switched in by_id or st.session_state.get("run_id") not in by_id:
        st.session_state["run_id"] = switched if switched in by_id else next(iter(by_id), None)
    with st.sidebar:
        st.subheader("Analysis")
        if available:
            st.selectbox(
                "Stored run",
                list(by_id),
                key="run_id",
                format_func=lambda i: _run_label(by_id[i]),
                help="The runs graphvc analyse (or the button below) stored, newest first.",
            )
        user = current_user()
        # Analysing again writes scores: for analysts only (a reader's overview only reads).
        may_rerun = user is not None and "analyst" in user.roles
        asked = _rerun_form(by_id.get(st.session_state.get("run_id", ""))) if may_rerun else None
    if asked is not None:
        require_graph()
        stored = guarded(lambda: rerun_analysis(asked))
        st.session_state["_switch_run"] = stored.id
        st.rerun()
    return by_id.get(st.session_state.get("run_id", ""))


def run_header() -> StoredRun | None:
    """The stored run the page shows, and its header under the page's title.

    The newest run unless another is picked in the sidebar, where "Run the analysis…" is the
    only way to analyse again. Without a stored run the page says so in one line.
    """
    run = _picked_run(guarded(data.stored_runs))
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
