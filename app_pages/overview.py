"""Overview: what the graph holds, by continuum category, borough and month."""

import streamlit as st

from app_pages.common import driver, guarded, library_query, settings
from graphvc.schema import graph_counts

st.title("Overview")
counts = guarded(lambda: graph_counts(driver(), database=settings().neo4j_database))
if counts["Incident"] == 0:
    st.info(
        "The graph holds no incidents yet. Load some with `graphvc load DIR` or run `make demo`."
    )
    st.stop()

columns = st.columns(5)
for column, label in zip(
    columns, ("Person", "Incident", "Location", "Ward", "Borough"), strict=True
):
    column.metric(f"{label}s", f"{counts[label]:,}")

by_category = guarded(lambda: library_query("app/overview_by_category"))
by_borough = guarded(lambda: library_query("app/overview_by_borough"))
by_month = guarded(lambda: library_query("app/overview_by_month"))

left, right = st.columns(2)
with left:
    st.subheader("By continuum category")
    st.dataframe(by_category, hide_index=True, width="stretch")
with right:
    st.subheader("Harm by borough")
    st.bar_chart(by_borough, x="borough", y="harm", horizontal=True)

st.subheader("Monthly trend by category")
by_month["month"] = by_month["month"].map(lambda d: d.to_native())
st.line_chart(by_month, x="month", y="incidents", color="category")
