"""Overview: what the graph holds, by continuum category, borough and month; harm on a map."""

import streamlit as st

from graphvc.app import page
from graphvc.app.common import (
    attempted,
    boroughs,
    geography_caption,
    guarded,
    library_query,
    map_outlines,
    place_map,
    report_headlines,
    reports,
    require_graph,
    require_page,
    run_header,
)

user = require_page("overview")

st.title("Overview")
counts = require_graph()
run_header()
columns = st.columns(5)
for column, label in zip(
    columns, ("Person", "Incident", "Location", "Ward", "Borough"), strict=True
):
    column.metric(f"{label}s", f"{counts[label]:,}")
if counts["Incident"] == 0:
    st.info("The graph holds people but no incidents yet: load incidents to see trends.")
    st.stop()

latest = attempted(reports)
if latest is not None and user.pseudonymised:
    latest = latest[latest["pseudonymised"].fillna(False).astype(bool)]
if latest is not None and len(latest):
    st.subheader(f"Latest report: as of {latest.iloc[0]['as_of']}")
    report_headlines(latest.iloc[0])
    st.page_link(page("reports"), label="Open the reports", icon=":material/summarize:")

by_category = guarded(lambda: library_query("app/overview_by_category"))
by_borough = guarded(lambda: library_query("app/overview_by_borough"))

left, right = st.columns(2)
with left:
    st.subheader("By continuum category")
    st.dataframe(by_category, hide_index=True, width="stretch")
    st.bar_chart(by_category, x="category", y="harm", horizontal=True, sort=False)
with right:
    st.subheader("Harm by borough")
    if by_borough.empty:
        st.info("No incident is placed in a borough (locations without ward or borough).")
    else:
        st.pydeck_chart(
            place_map(
                by_borough, value="harm", label="borough", radius=600,
                outlines=map_outlines().outlines,
                tooltip="{borough}\n{incidents} incidents\n{harm} days of harm",
            ),
            height=460,
        )  # fmt: skip
        st.caption(
            "Column height and colour: crime harm (days), at the mean of each borough's locations."
        )
        geography_caption()

st.subheader("Monthly trend by category")
names = boroughs()
borough = st.selectbox(
    "Borough",
    [None, *names],
    format_func=lambda code: "All of London" if code is None else names[code],
)
by_month = guarded(lambda: library_query("app/overview_by_month", (("borough", borough),)))
if by_month.empty:
    st.info("No incident in this borough.")
else:
    by_month["month"] = by_month["month"].map(lambda d: d.to_native())
    st.line_chart(by_month, x="month", y="incidents", color="category")

st.subheader("Boroughs by category")
table = guarded(lambda: library_query("app/overview_borough_category"))
if len(table):
    pivot = table.pivot_table(
        index="borough", columns="category", values="incidents", fill_value=0, aggfunc="sum"
    )
    pivot.insert(0, "all", pivot.sum(axis=1))
    st.dataframe(pivot.sort_values("all", ascending=False), width="stretch")
