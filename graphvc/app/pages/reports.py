"""Reports: browse the scheduled reports, read one, download its files."""

import io
import zipfile
from pathlib import Path

import streamlit as st

from graphvc.app.common import guarded, reports, reports_dir, run_header

MIME = {".html": "text/html", ".csv": "text/csv", ".json": "application/json",
        ".parquet": "application/vnd.apache.parquet"}  # fmt: skip

st.title("Reports")
run_header()
available = guarded(reports)
if available.empty:
    st.info(
        f"No report in {reports_dir()} yet. Reports are written by `graphvc report` (on a "
        "schedule); set GRAPHVC_REPORTS_DIR to read another folder.",
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
    st.iframe(page.read_text(encoding="utf-8"), height=900)
else:
    st.warning(f"{page} is missing: the report folder is incomplete.")

st.subheader("Download")
files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in MIME)
bundle = io.BytesIO()
with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as archive:
    for path in files:
        archive.write(path, f"{as_of}/{path.name}")
offered = [(f"{as_of}.zip", "The whole report (zip)", bundle.getvalue(), "application/zip")] + [
    (f"{as_of}-{path.name}", path.name, path.read_bytes(), MIME[path.suffix])
    for path in files
    if path.suffix != ".parquet"
]
columns = st.columns(4)
for i, (name, title, data, mime) in enumerate(offered):
    columns[i % 4].download_button(title, data, name, mime, key=f"file_{name}", on_click="ignore")
