"""Cypher: run a query of the library with parameters from a form; read-only."""

import json
from datetime import date
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from graphvc.app import data
from graphvc.app.access import attempted, audited, audited_export, guarded, require_page
from graphvc.app.filters import list_filters
from graphvc.app.watch_this import watch_this
from graphvc.app.ways_in import selectable
from graphvc.app.widgets import paged, plain
from graphvc.auth import User
from graphvc.files import csv_text
from graphvc.queries import (
    TEAMS,
    Parameter,
    StoredQuery,
    check_parameters,
    list_queries,
    persons_among,
    persons_in_rows,
    run_stored_query,
)

__all__ = ["main"]


@st.cache_data(ttl=300, show_spinner="Running the query…")
def run(name: str, values: str) -> pd.DataFrame:
    """``values`` is the parameters as JSON, so that the cache can key on them."""
    settings = data.settings()
    return run_stored_query(
        data.driver(),
        name,
        json.loads(values),
        database=settings.neo4j_database,
        timeout=settings.query_timeout,
    )


def field(query: StoredQuery, parameter: Parameter) -> Any:
    """The widget for one parameter; ``None`` when left empty (the default then applies)."""
    key = f"param_{query.name}_{parameter.name}"
    label = f"{parameter.name} ({parameter.type}{', required' if parameter.required else ''})"
    tip = parameter.description
    example = "" if parameter.example is None else f"e.g. {json.dumps(parameter.example)}"
    if parameter.choices:
        if parameter.type == "list<string>":
            chosen = st.multiselect(
                label, list(parameter.choices), default=parameter.default, key=key, help=tip
            )
            return chosen or None
        return st.selectbox(label, list(parameter.choices), index=None, key=key, help=tip)
    if parameter.type in ("integer", "float"):
        integer = parameter.type == "integer"
        number: Any = int if integer else float
        return st.number_input(
            label,
            value=parameter.default,
            step=1 if integer else None,
            placeholder=example,
            min_value=None if parameter.minimum is None else number(parameter.minimum),
            max_value=None if parameter.maximum is None else number(parameter.maximum),
            key=key,
            help=tip,
        )
    if parameter.type == "boolean":
        return st.checkbox(label, value=bool(parameter.default), key=key, help=tip)
    if parameter.type == "date":
        value = date.fromisoformat(parameter.default) if parameter.default else None
        picked = st.date_input(label, value=value, key=key, help=tip)
        return picked.isoformat() if isinstance(picked, date) else None
    default = parameter.default
    text = ", ".join(default) if isinstance(default, list) else (default or "")
    typed = st.text_input(label, value=text, placeholder=example, key=key, help=tip)
    return typed.strip() or None


def chosen_query(user: User) -> StoredQuery:
    """The query picked from the library of the chosen team (of those the user may run)."""
    # An analyst runs every team's queries; a specialist those of their teams and those for all.
    teams = user.query_teams
    choices = (
        [None, *TEAMS] if teams is None else [t for t in TEAMS if t in teams or t == "all teams"]
    )
    team = st.selectbox("Team", choices, format_func=lambda t: "Every team" if t is None else t)
    queries = {q.name: q for q in guarded(lambda: list_queries(team))}
    if not queries:
        st.info("The library holds no query for this team.")
        st.stop()
    name = st.selectbox("Query", list(queries), format_func=lambda n: f"{queries[n].title} ({n})")
    return queries[name]


def show_result(query: StoredQuery, submitted: str, user: User) -> None:
    """Run ``query`` with the ``submitted`` parameters (JSON), audited, and show its rows,
    with "Watch this" for an analyst (a query that found nothing yet is worth watching too)."""
    name = query.name
    checked = guarded(lambda: check_parameters(query, json.loads(submitted)))
    database = data.settings().neo4j_database
    # Whoever a value names is looked up, under any parameter name (from_id, to_id).
    named = guarded(lambda: persons_among(data.driver(), checked.values(), database=database))
    audited("query.run", person_ids=named, what=query.audit_details(checked))
    result = attempted(lambda: run(name, submitted))
    if result is None:
        st.stop()
        return
    typed = json.loads(submitted)  # in the query's order, for the watch's suggested name
    given = {p.name: typed[p.name] for p in query.params if typed.get(p.name) is not None}
    if result.empty:
        st.info("The query found no rows.")
        watch_this(user, query=name, parameters=given, what=f"the query {query.title!r}")
        st.stop()
    # The rows are about to be shown: the people in them are recorded first.
    found = guarded(lambda: persons_in_rows(data.driver(), result, database=database))
    returned = [person for person in found if person not in named]
    if returned:
        what = {"query": name, "sha256": query.sha256, "rows": len(result)}
        audited("query.result", person_ids=returned, what=what)
    st.caption(f"{len(result):,} rows")
    shown = list_filters(result, key=f"filters_{name}")
    helps = {c.name: c.description for c in query.columns}
    way = way_in(shown, found)
    if way is None:
        plain(paged(shown, key=f"page_{name}"), helps=helps)
    else:
        kind, column = way
        selectable(
            paged(shown, key=f"page_{name}"),
            key=f"rows_{name}",
            kind=kind,
            id_column=column,
            helps=helps,
        )
    st.download_button(
        "Download (CSV)",
        audited_export(
            partial(csv_text, shown, index=False),
            person_ids=[*named, *returned],
            what={"file": f"{name}.csv", "query": name, "rows": len(shown)},
        ),
        f"{name}.csv",
        "text/csv",
        on_click="ignore",
        help=f"The {len(shown):,} rows listed, with the query's column names and values.",
    )
    watch_this(user, query=name, parameters=given, what=f"the query {query.title!r}")


def way_in(rows: pd.DataFrame, persons: list[str]) -> tuple[str, str] | None:
    """What a selected row of a query's ``rows`` opens: the profile of the person its first
    column of the graph's ``persons`` names, else the place its first place column names,
    else the explorer on its incident; None when it names none of them."""
    known = set(persons)
    for column in rows.columns:
        if rows[column].map(lambda v: isinstance(v, str) and v in known).any():
            return "person", str(column)
    for column in ("location_id", "ward_code", "borough_code"):
        if column in rows:
            return "place", column
    if "incident_id" in rows:
        return "explorer", "incident_id"
    return None


def main() -> None:
    """Pick a team's query, fill in its parameters, run it and download its rows."""
    user = require_page("cypher")
    st.title("Cypher")
    st.caption(
        "The specialist teams' stored queries. The app only reads: a query whose plan would "
        "write is refused, and every query runs in a read transaction with a timeout."
    )
    query = chosen_query(user)
    name = query.name
    st.markdown(query.description.replace("$", "\\$"))  # $parameters, not LaTeX
    with st.expander("Cypher"):
        st.code(query.body, language="cypher")
    with st.form(f"params_{name}"):
        values = {parameter.name: field(query, parameter) for parameter in query.params}
        if st.form_submit_button("Run", type="primary", icon=":material/play_arrow:"):
            st.session_state["cypher_run"] = (name, json.dumps(values, sort_keys=True))
    ran = st.session_state.get("cypher_run")
    if not ran or ran[0] != name:
        st.stop()
        return
    show_result(query, ran[1], user)


if __name__ == "__main__":
    main()
