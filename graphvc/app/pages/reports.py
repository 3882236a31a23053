"""Reports: browse the scheduled reports, read one, see who is due for review or removal,
download its files."""

import io
import zipfile
from functools import partial
from pathlib import Path

import pandas as pd
import streamlit as st

from graphvc.app.common import (
    audited,
    audited_export,
    guarded,
    report_people,
    reports,
    reports_dir,
    require_page,
)

user = require_page("reports")

MIME = {".html": "text/html", ".csv": "text/csv", ".json": "application/json",
        ".parquet": "application/vnd.apache.parquet"}  # fmt: skip

st.title("Reports")
available = guarded(reports)
if available.empty:
    st.info(
        f"No report in {reports_dir()} yet. Reports are written by `graphvc report` (on a "
        "schedule); set GRAPHVC_REPORTS_DIR to read another folder.",
        icon=":material/info:",
    )
    st.stop()
if user.pseudonymised:
    # A reader sees people only under pseudonyms: the reports written with --pseudonymise.
    available = available[available["pseudonymised"].fillna(False).astype(bool)]
    if available.empty:
        st.info(
            "No pseudonymised report yet: your role reads only the reports written with "
            "`graphvc report centrality --pseudonymise`.",
            icon=":material/info:",
        )
        st.stop()

st.dataframe(available.drop(columns=["path"]), hide_index=True, width="stretch")
latest = set(available.loc[available["latest"], "as_of"])
as_of = st.selectbox(
    "Report", available["as_of"].tolist(), key="report",
    format_func=lambda d: f"{d} (latest)" if d in latest else d,
)  # fmt: skip
report = available[available["as_of"] == as_of].iloc[0]
folder = Path(report["path"])

page = folder / "report.html"
if page.is_file():
    audited("report.view", person_ids=report_people(tuple(sorted(folder.glob("*.csv")))),
            what={"report": str(folder), "file": page.name})  # fmt: skip
    st.iframe(page.read_text(encoding="utf-8"), height=900)
else:
    st.warning(f"{page} is missing: the report folder is incomplete.")

st.subheader("Review and removal")
review_file = folder / "review.csv"
if review_file.is_file():
    review = pd.read_csv(review_file, dtype="string")
    counts = review["recommendation"].value_counts()
    due, remove = st.columns(2)
    due.metric("Due for review", int(counts.get("review", 0)))
    remove.metric("Recommended for removal", int(counts.get("remove", 0)))
    st.caption(
        "Listed people whose review date has come, and those with no offending in the "
        "report's inactive months (recommended for removal). The review meeting decides."
    )
    st.dataframe(review, hide_index=True, width="stretch")
else:
    st.info("This report has no review.csv: it was written before reviews were added.")

st.subheader("Download")
files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in MIME)


def zipped(paths: list[Path]) -> bytes:
    bundle = io.BytesIO()
    with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in paths:
            archive.write(path, f"{as_of}/{path.name}")
    return bundle.getvalue()


offered = [(f"{as_of}.zip", "The whole report (zip)", files, "application/zip")] + [
    (f"{as_of}-{path.name}", path.name, [path], MIME[path.suffix])
    for path in files
    if path.suffix != ".parquet"
]
columns = st.columns(4)
for i, (name, title, paths, mime) in enumerate(offered):
    data = audited_export(
        partial(zipped, paths) if len(paths) > 1 else paths[0].read_bytes,
        person_ids=partial(report_people, tuple(paths)),
        what={"file": name, "report": str(folder)},
    )
    columns[i % 4].download_button(title, data, name, mime, key=f"file_{name}", on_click="ignore")
