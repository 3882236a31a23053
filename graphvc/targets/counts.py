"""What each target counts: count tables of incidents per period, category and borough.

A count table (:data:`COUNT_COLUMNS`) holds offences and sanction detections in ``[start,
end)`` per continuum category and borough. Counts come from one of two sources:

``graph``
    the incidents in the graph (loaded tables, the synthetic demo, police.uk months), by day,
    continuum category and borough, with their sanction detections
    (:func:`incident_counts`);
``mps``
    the Metropolitan Police's published annual counts per LSOA (violence, robbery, weapons;
    2011–2021) of the installed reference data, summed per borough
    (:func:`mps_incident_counts`). Their 2020 column is double-counted in the installed
    copy, so 2020 is unusable: a target that needs it is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from graphvc import reference
from graphvc.analysis.events import incident_harm
from graphvc.contract import SANCTION_DETECTIONS
from graphvc.errors import ConfigError
from graphvc.targets.file import Targets

__all__ = [
    "COUNT_COLUMNS",
    "MPS_END",
    "UNUSABLE_MPS_YEARS",
    "incident_counts",
    "mps_incident_counts",
    "placed_incidents",
    "read_sources",
]

#: Years of the installed MPS counts that must not be used: 2020 is double-counted.
UNUSABLE_MPS_YEARS = (2020,)
#: The day after the last year of the MPS counts: their as-of date.
MPS_END = pd.Timestamp("2022-01-01")
#: Columns of a count table: counts in ``[start, end)`` per category and borough.
COUNT_COLUMNS = [
    "category",
    "borough_code",
    "borough_name",
    "start",
    "end",
    "offences",
    "detected",
]


def placed_incidents(incidents: pd.DataFrame, locations: pd.DataFrame) -> pd.DataFrame:
    """The incidents with harm filled (:func:`graphvc.analysis.events.incident_harm`) and
    each one's ``borough_code`` and ``borough_name`` from its location (missing where it has
    none, or its location no borough)."""
    table = incident_harm(incidents)
    if "location_id" not in table:
        table["location_id"] = pd.NA
    places = locations.set_index("location_id")
    # Each incident's location looked up once for both columns (-1: none, or unknown).
    at = places.index.get_indexer(pd.Index(table["location_id"]))
    for column in ("borough_code", "borough_name"):
        names = places[column] if column in places else pd.Series(pd.NA, index=places.index)
        table[column] = names.astype("string").array.take(at, allow_fill=True)
    return table


def incident_counts(incidents: pd.DataFrame, locations: pd.DataFrame) -> pd.DataFrame:
    """The incidents of the graph as a count table: offences and sanction detections per day,
    continuum category and borough (incidents without a borough under a missing code).

    Examples
    --------
    >>> incidents = pd.DataFrame({"incident_id": ["I1", "I2", "I3"],
    ...     "occurred_at": ["2024-01-05T10:00", "2024-01-05T22:00", "2024-02-01"],
    ...     "offence": ["personal_robbery"] * 3, "outcome": ["charged", "no_suspect", None],
    ...     "location_id": ["L1", "L1", None]})
    >>> locations = pd.DataFrame({"location_id": ["L1"], "borough_code": ["B1"],
    ...                           "borough_name": ["Camden"]})
    >>> incident_counts(incidents, locations)[["borough_code", "start", "offences", "detected"]].to_numpy().tolist()
    [['B1', Timestamp('2024-01-05 00:00:00'), 2, 1], [<NA>, Timestamp('2024-02-01 00:00:00'), 1, 0]]
    """
    table = placed_incidents(incidents, locations)
    if "outcome" not in table:
        table["outcome"] = pd.NA
    table["start"] = table["occurred_at"].dt.normalize()
    table["detected"] = table["outcome"].isin(SANCTION_DETECTIONS).astype("int64")
    counted = (
        table.groupby(
            ["category", "borough_code", "borough_name", "start"], dropna=False, sort=False
        )
        .agg(offences=("incident_id", "size"), detected=("detected", "sum"))
        .reset_index()
    )
    counted["end"] = counted["start"] + pd.Timedelta(days=1)
    counted["category"] = counted["category"].astype("string")
    counted = counted.sort_values(["start", "category", "borough_code"], kind="stable")
    return counted[COUNT_COLUMNS].reset_index(drop=True).astype({"detected": "Int64"})


def mps_incident_counts(home: Path) -> pd.DataFrame:
    """The installed MPS counts (:func:`graphvc.reference.mps_counts_path`) as a count table: one
    row per family (``violence``, ``robbery``, ``weapons``), borough and calendar year, with
    no sanction detections. The years of :data:`UNUSABLE_MPS_YEARS` are left out."""
    frames = []
    for family in reference.MPS_FAMILIES:
        table = reference.read_reference_table(home, f"mps_{family}")
        years = [c for c in table.columns if str(c).isdigit()]
        usable = [y for y in years if int(y) not in UNUSABLE_MPS_YEARS]
        summed = table.groupby(["LAD11CD", "LAD11NM"])[usable].sum().reset_index()
        long = summed.melt(["LAD11CD", "LAD11NM"], var_name="year", value_name="offences")
        long["category"] = family
        frames.append(long)
    table = pd.concat(frames, ignore_index=True)
    year = table["year"].astype(int)
    return (
        pd.DataFrame(
            {
                "category": table["category"].astype("string"),
                "borough_code": table["LAD11CD"].astype("string"),
                "borough_name": table["LAD11NM"].astype("string"),
                "start": pd.to_datetime(year.astype(str) + "-01-01"),
                "end": pd.to_datetime((year + 1).astype(str) + "-01-01"),
                "offences": table["offences"].round().astype("int64"),
                "detected": pd.Series(pd.NA, index=table.index, dtype="Int64"),
            }
        )
        .sort_values(["start", "category", "borough_code"], kind="stable")
        .reset_index(drop=True)
    )


def read_sources(
    targets: Targets,
    *,
    tables: Mapping[str, pd.DataFrame] | None = None,
    counted: pd.DataFrame | None = None,
    home: Path | None = None,
    as_of: pd.Timestamp | None = None,
    graph_as_of: pd.Timestamp | None = None,
) -> tuple[
    dict[str, pd.DataFrame], dict[str, pd.Timestamp], dict[str, tuple[pd.Timestamp, pd.Timestamp]]
]:
    """The count tables, as-of dates and coverage of the sources ``targets`` use.

    ``tables`` are the graph's contract tables (needed when a target counts the graph, unless
    ``counted`` is their count table already made, :func:`incident_counts`) and
    ``home`` the graphvc home of the installed reference data (when one counts the MPS
    figures). ``as_of`` applies to every source; without it the graph is read as of
    ``graph_as_of`` (the day after its latest incident) and the MPS counts as of
    :data:`MPS_END`.
    """
    counts: dict[str, pd.DataFrame] = {}
    moments: dict[str, pd.Timestamp] = {}
    coverage: dict[str, tuple[pd.Timestamp, pd.Timestamp]] = {}
    if "graph" in targets.sources:
        if (tables is None and counted is None) or (graph_as_of is None and as_of is None):
            raise ConfigError("targets on the graph need the graph's tables and an as-of date")
        if counted is None:
            assert tables is not None
            counted = incident_counts(tables["incidents"], tables["locations"])
        counts["graph"] = counted
        moments["graph"] = as_of if as_of is not None else graph_as_of  # type: ignore[assignment]
    if "mps" in targets.sources:
        if home is None:
            raise ConfigError("targets on the MPS counts need the installed reference data")
        counts["mps"] = mps_incident_counts(home)
        moments["mps"] = as_of if as_of is not None else MPS_END
        coverage["mps"] = (counts["mps"]["start"].min(), min(moments["mps"], MPS_END))
    return counts, moments, coverage
