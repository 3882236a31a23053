"""Reports: browse the scheduled reports, read one, see who is due for review or removal,
download its files."""

import io
import zipfile
from functools import partial
from pathlib import Path

import pandas as pd
import streamlit as st

from graphvc.app import data
from graphvc.app.access import audited, audited_export, guarded, require_page
from graphvc.app.filters import list_filters
from graphvc.app.ways_in import selectable
from graphvc.app.widgets import download, plain
from graphvc.auth import User

__all__ = ["main"]

#: The files of a report offered for download, by suffix: their MIME type.
MIME = {
    ".html": "text/html",
    ".csv": "text/csv",
    ".json": "application/json",
    ".parquet": "application/vnd.apache.parquet",
}


def readable_reports(user: User) -> pd.DataFrame:
    """The reports the user may read (a reader: the pseudonymised ones); when there is none,
    say so and stop the page."""
    available = guarded(data.reports)
    if available.empty:
        st.info(
            f"No report in {data.reports_dir()} yet. Reports are written by `graphvc report` "
            "(on a schedule); set GRAPHVC_REPORTS_DIR to read another folder.",
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
    return available


def review(folder: Path, *, pseudonymised: bool) -> None:
    """Who the report finds due for review, and whom it recommends for removal (filtered; a
    row opens the person's profile, unless the report names people by pseudonyms)."""
    st.subheader("Review and removal")
    review_file = folder / "review.csv"
    if not review_file.is_file():
        st.info("This report has no review.csv: it was written before reviews were added.")
        return
    listed = pd.read_csv(review_file, dtype="string")
    counts = listed["recommendation"].value_counts()
    due, remove = st.columns(2)
    due.metric("Due for review", int(counts.get("review", 0)))
    remove.metric("Recommended for removal", int(counts.get("remove", 0)))
    st.caption(
        "Listed people whose review date has come, and those with no offending in the "
        "report's inactive months (recommended for removal). The review meeting decides."
    )
    shown = list_filters(listed, key="review_filters")
    if pseudonymised:
        plain(shown)
    else:
        selectable(shown, key="review_table", kind="person", id_column="person_id")
    download(
        shown,
        name=f"{folder.name}-review-listed.csv",
        what={"page": "reports", "report": str(folder)},
        label="Download these rows (CSV)",
    )


def zipped(as_of: str, paths: list[Path]) -> bytes:
    """``paths`` in a zip archive, in a folder named ``as_of``."""
    bundle = io.BytesIO()
    with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in paths:
            archive.write(path, f"{as_of}/{path.name}")
    return bundle.getvalue()


def downloads(folder: Path, as_of: str) -> None:
    """The whole report as a zip, and each of its files (the Parquet copies only in the zip)."""
    st.subheader("Download")
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in MIME)
    offered = [(f"{as_of}.zip", "The whole report (zip)", files, "application/zip")] + [
        (f"{as_of}-{path.name}", path.name, [path], MIME[path.suffix])
        for path in files
        if path.suffix != ".parquet"
    ]
    columns = st.columns(4)
    for i, (name, title, paths, mime) in enumerate(offered):
        exported = audited_export(
            partial(zipped, as_of, paths) if len(paths) > 1 else paths[0].read_bytes,
            person_ids=partial(data.report_people, tuple(paths)),
            what={"file": name, "report": str(folder)},
        )
        columns[i % 4].download_button(
            title, exported, name, mime, key=f"file_{name}", on_click="ignore"
        )


def main() -> None:
    """The reports, one of them read on the page, its review, and its files."""
    user = require_page("reports")
    st.title("Reports")
    available = list_filters(readable_reports(user), key="reports_filters", columns=("date",))
    if available.empty:
        st.info("No report in the dates chosen.")
        st.stop()
    plain(available.drop(columns=["path"]))
    latest = set(available.loc[available["latest"], "as_of"])
    as_of = st.selectbox(
        "Report",
        available["as_of"].tolist(),
        key="report",
        format_func=lambda d: f"{d} (latest)" if d in latest else d,
    )
    report = available[available["as_of"] == as_of].iloc[0]
    folder = Path(report["path"])
    html = folder / "report.html"
    if html.is_file():
        audited(
            "report.view",
            person_ids=data.report_people(tuple(sorted(folder.glob("*.csv")))),
            what={"report": str(folder), "file": html.name},
        )
        st.iframe(html.read_text(encoding="utf-8"), height=900)
    else:
        st.warning(f"{html} is missing: the report folder is incomplete.")
    pseudonymised = report.get("pseudonymised")
    review(folder, pseudonymised=bool(pd.notna(pseudonymised) and pseudonymised))
    downloads(folder, str(as_of))


if __name__ == "__main__":
    main()
