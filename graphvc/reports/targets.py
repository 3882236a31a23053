"""Targets for a reader: an evaluation's figures as text, its table, its control charts.

The figures come from :mod:`graphvc.targets`; this is how the ``graphvc targets`` command,
the tasking pack and the Performance page show them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from graphvc.reports.charts import control_chart
from graphvc.targets import METHODS, Targets, reading_of

__all__ = [
    "DISPLAY_COLUMNS",
    "format_change",
    "format_figure",
    "format_table",
    "formatted",
    "target_chart",
]


def format_figure(value: float, rate: bool) -> str:
    """A count (``1,234``) or a rate (``20.8%``); ``-`` for none."""
    if isinstance(value, float) and math.isnan(value):
        return "-"
    return f"{value:.1%}" if rate else f"{value:,.0f}"


def format_change(row: Mapping[str, Any] | pd.Series, rate: bool) -> tuple[str, str]:
    """A change and its interval as text: ``+5.3%`` and ``+2.3 to +8.5`` (points for rates)."""
    if math.isnan(row["change"]):
        return "-", "-"
    unit = " pts" if rate else ""
    scale = 100
    point = f"{row['change'] * scale:+.1f}{'' if rate else '%'}{unit}"
    high = row["change_high"]
    bound = "inf" if math.isinf(high) else f"{high * scale:+.1f}"
    return point, f"{row['change_low'] * scale:+.1f} to {bound}"


#: The columns of an evaluation a reader is shown (after :func:`formatted`), with their titles.
DISPLAY_COLUMNS = {
    "title": "target",
    "area_name": "area",
    "baseline": "baseline",
    "current": "current",
    "change": "change",
    "interval": "95% interval",
    "reading": "reading",
    "p_value": "p",
    "distinguishable": "beyond chance",
    "status": "status",
    "signals": "control-chart signals",
}


def formatted(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` (from :func:`~graphvc.targets.evaluate`) with its figures as text for a reader: ``baseline``
    and ``current`` (counts, or rates as percentages), ``change`` and its ``interval``
    (relative for counts, in proportion points for rates), and the ``reading`` of that
    interval in words (:func:`graphvc.targets.reading.reading_of`)."""
    rates = table["measure"].str.contains(" rate of ")
    changes = [
        format_change(row, rate) for (_, row), rate in zip(table.iterrows(), rates, strict=True)
    ]
    return table.assign(
        baseline=[format_figure(v, r) for v, r in zip(table["baseline"], rates, strict=True)],
        current=[format_figure(v, r) for v, r in zip(table["current"], rates, strict=True)],
        change=[c[0] for c in changes],
        interval=[c[1] for c in changes],
        reading=[reading_of(row) for _, row in table.iterrows()],
    )


def _span(row: Mapping[str, Any] | pd.Series, which: str) -> str:
    """A window's first and last day (its end is excluded)."""
    last = pd.Timestamp(row[f"{which}_end"]) - pd.Timedelta(days=1)
    return f"{row[f'{which}_start']} to {last.date()}"


def format_table(targets: Targets, table: pd.DataFrame, as_of: Mapping[str, pd.Timestamp]) -> str:
    """The evaluation as text, one block per target, then the methods."""
    dates = ", ".join(f"{source} as of {moment.date()}" for source, moment in as_of.items())
    lines = [f"{targets.title} ({dates})"]
    for target in targets.targets:
        rows = table[table["target"] == target.id]
        if rows.empty:
            continue
        first = rows.iloc[0]
        to_date = "" if first["complete"] else " (to date, like for like)"
        lines += [
            "",
            f"{target.id}: {target.title}",
            f"  {target.describe()}; {_span(first, 'current')} against "
            f"{_span(first, 'baseline')}{to_date}",
        ]
        rate = target.rate is not None
        shown = pd.DataFrame(
            {
                # Whole: a name cut short ("with most gun_") reads as a fault.
                "area": [
                    f"{c} {n}" for c, n in zip(rows["area_code"], rows["area_name"], strict=True)
                ],
                "baseline": [format_figure(v, rate) for v in rows["baseline"]],
                "current": [format_figure(v, rate) for v in rows["current"]],
                "change": [format_change(r, rate)[0] for _, r in rows.iterrows()],
                "95% CI": [format_change(r, rate)[1] for _, r in rows.iterrows()],
                "p": [f"{p:.3g}" if not math.isnan(p) else "-" for p in rows["p_value"]],
                "real?": ["yes" if d else "no" for d in rows["distinguishable"]],
                "status": rows["status"],
                "signals": rows["signals"],
            }
        )
        lines += ["  " + line for line in shown.to_string(index=False).splitlines()]
    lines += ["", "real? = the 95% interval of the change excludes no change."]
    if "mps" in targets.sources:
        lines.append("MPS counts: the installed copy double-counts 2020, so 2020 is never used.")
    lines += [f"{kind}: {text}" for kind, text in METHODS.items() if kind != "confidence"]
    return "\n".join(lines)


def target_chart(rows: pd.DataFrame, *, title: str) -> str:
    """One target's monthly control chart in one area (rows of the charts of
    :func:`~graphvc.targets.evaluate_targets`, month by month), as an SVG picture: the
    centre line and limits of the baseline, the signalling months in orange."""
    return control_chart(
        [str(month) for month in rows["month"]],
        rows["value"].astype(float).tolist(),
        centre=rows["centre"].astype(float).tolist(),
        lower=rows["lower"].astype(float).tolist(),
        upper=rows["upper"].astype(float).tolist(),
        flagged=(rows["signal"] != "").tolist(),
        split=int((rows["phase"] == "baseline").sum()),
        title=title,
    )
