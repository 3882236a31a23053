"""Every CSV graphvc writes neutralises the cells a spreadsheet would execute (OWASP)."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from graphvc.cli._common import format_rows
from graphvc.harm_index import load_harm_table
from graphvc.reports.folders import table_files
from loaders.folder import validate_folder

HOSTILE = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tTAB"]


def test_the_rejects_file_quotes_formula_cells(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    # Leading white space (a tab) is stripped when a table is read, so it never reaches here.
    formulas = HOSTILE[:4]
    rows = "".join(f"P{i},{value},F\n" for i, value in enumerate(formulas))
    (folder / "persons.csv").write_text("person_id,age_band,sex\n" + rows, encoding="utf-8")
    _, summary = validate_folder(folder, harm=load_harm_table())
    summary.write_rejects(tmp_path / "rejects.csv")
    with (tmp_path / "rejects.csv").open(encoding="utf-8", newline="") as handle:
        values = [row["value"] for row in csv.DictReader(handle)]
    assert values == [f"'{value}" for value in formulas]


def test_report_tables_and_query_results_quote_formula_cells() -> None:
    frame = pd.DataFrame({"name": HOSTILE, "count": range(len(HOSTILE))})
    report_csv = table_files(frame)[0].decode("utf-8")
    query_csv = format_rows(frame, "csv")
    for text in (report_csv, query_csv):
        cells = [row[0] for row in csv.reader(text.splitlines())][1:]
        assert cells and all(cell.startswith("'") for cell in cells), cells


def test_a_leading_carriage_return_is_neutralised_too() -> None:
    # pandas writes a carriage return unquoted, so the cell is checked in the raw text.
    text = table_files(pd.DataFrame({"name": ["\rCR"]}))[0].decode("utf-8")
    assert text == "name\n'\rCR\n"
