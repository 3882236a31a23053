"""The Overview page's tables: the graph's incidents by continuum category, by borough (with
its harm and the centre of its locations), by month and category, and borough by category.

A stored run keeps one small table, :func:`incident_months` (incidents and harm per month,
category and borough), from which the others are summed, so the page opens without a query
over every incident. They give what the Cypher library's ``app/overview_*`` queries give on
the incidents the run read (a test holds them equal); without a stored run the page runs
those queries when asked.
"""

from __future__ import annotations

import pandas as pd

from graphvc.targets import placed_incidents

__all__ = [
    "MONTH_COLUMNS",
    "borough_by_category",
    "by_borough",
    "by_category",
    "by_month",
    "incident_months",
]

#: The columns of :func:`incident_months`.
MONTH_COLUMNS = ["month", "category", "borough_code", "borough_name", "incidents", "harm"]


def incident_months(incidents: pd.DataFrame, locations: pd.DataFrame) -> pd.DataFrame:
    """Incidents and their summed harm per calendar month, continuum category and borough
    (incidents without a borough under a missing code), in that order.

    Examples
    --------
    >>> incidents = pd.DataFrame({"incident_id": ["I1", "I2", "I3"],
    ...     "occurred_at": ["2024-01-05T10:00", "2024-01-30T22:00", "2024-02-01"],
    ...     "offence": ["personal_robbery"] * 3, "location_id": ["L1", "L1", None]})
    >>> locations = pd.DataFrame({"location_id": ["L1"], "borough_code": ["B1"],
    ...                           "borough_name": ["Camden"]})
    >>> incident_months(incidents, locations)[["month", "borough_code", "incidents"]].to_numpy().tolist()
    [[Timestamp('2024-01-01 00:00:00'), 'B1', 2], [Timestamp('2024-02-01 00:00:00'), <NA>, 1]]
    """
    table = placed_incidents(incidents, locations)
    table["month"] = table["occurred_at"].dt.to_period("M").dt.to_timestamp()
    counted = (
        table.groupby(["month", "category", "borough_code", "borough_name"], dropna=False)
        .agg(incidents=("incident_id", "size"), harm=("harm", "sum"))
        .reset_index()
    )
    texts = ["category", "borough_code", "borough_name"]
    return counted[MONTH_COLUMNS].astype(dict.fromkeys(texts, "string"))


def by_category(months: pd.DataFrame) -> pd.DataFrame:
    """Incidents and harm per continuum category, the most harmful first (the columns of
    ``cypher/app/overview_by_category``)."""
    summed = months.groupby("category", observed=True)[["incidents", "harm"]].sum()
    return summed.reset_index().sort_values("harm", ascending=False, ignore_index=True)


def by_borough(months: pd.DataFrame, locations: pd.DataFrame) -> pd.DataFrame:
    """Incidents and harm per borough with incidents, at the mean latitude and longitude of
    its ``locations``, the most harmful first (the columns of
    ``cypher/app/overview_by_borough``)."""
    placed = months.dropna(subset=["borough_code"])
    summed = placed.groupby(["borough_code", "borough_name"])[["incidents", "harm"]].sum()
    centres = (
        locations.dropna(subset=["borough_code"])
        .groupby("borough_code")[["latitude", "longitude"]]
        .mean()
    )
    table = summed.reset_index().rename(columns={"borough_name": "borough"})
    table = table.join(centres, on="borough_code")
    return table[table["incidents"] > 0].sort_values("harm", ascending=False, ignore_index=True)


def by_month(months: pd.DataFrame, borough: str | None = None) -> pd.DataFrame:
    """Incidents per month and category, in borough code ``borough`` or (None) everywhere,
    in month order (the columns of ``cypher/app/overview_by_month``)."""
    chosen = months if borough is None else months[months["borough_code"] == borough]
    summed = chosen.groupby(["month", "category"])["incidents"].sum()
    return summed.reset_index().sort_values(["month", "category"], ignore_index=True)


def borough_by_category(months: pd.DataFrame) -> pd.DataFrame:
    """Incidents and harm per borough (by name) and category, of the incidents with a
    borough (the columns of ``cypher/app/overview_borough_category``)."""
    placed = months.dropna(subset=["borough_code"])
    summed = placed.groupby(["borough_name", "category"])[["incidents", "harm"]].sum()
    return summed.reset_index().rename(columns={"borough_name": "borough"})
