"""The table measures of a run, behind one seam: on the run's pandas tables here, on Spark's
DataFrames in the Spark engine (:class:`graphvc.spark.measures.SparkTableMeasures`).

The stages (:mod:`graphvc.runs.stages`) decide every parameter of a measure (its window, its
moment) and ask an object of the :class:`TableMeasures` protocol for the result
(:class:`InProcessMeasures` here); which engine computes it is the object's business. Both give the same tables (``tests/integration/test_spark_engine.py``).
"""

from __future__ import annotations

from typing import Literal, Protocol

import pandas as pd

from graphvc.analysis import continuum, overlap, places, priority
from graphvc.analysis import repeat_victims as repeats
from graphvc.analysis.events import DateLike

__all__ = ["InProcessMeasures", "PlaceLevel", "TableMeasures"]

#: The levels a place is scored at.
PlaceLevel = Literal["location", "ward", "borough"]


class TableMeasures(Protocol):
    """What the stages ask of an engine's table measures: each method is the
    :mod:`graphvc.analysis` function of the same name, on the run's tables."""

    def absolute_victims(self, *, end: DateLike) -> pd.Index: ...

    def rfg_scores(self, *, as_of: DateLike, window_days: float) -> pd.DataFrame: ...

    def escalation_profile(self, *, end: DateLike) -> pd.DataFrame: ...

    def victim_offender_overlap(
        self, *, as_of: DateLike, window_days: float, cut: float
    ) -> pd.DataFrame: ...

    def main_places(self, *, start: DateLike, end: DateLike) -> pd.DataFrame: ...

    def repeat_victims(self, *, as_of: DateLike, window_days: float) -> pd.DataFrame: ...

    def domestic_repeats(self, *, end: DateLike) -> pd.DataFrame: ...

    def place_harm(self, *, level: PlaceLevel, start: DateLike, end: DateLike) -> pd.DataFrame: ...

    def repeat_locations(self, *, as_of: DateLike, window_days: float) -> pd.DataFrame: ...


class InProcessMeasures:
    """The in-process engine's table measures on the run's contract ``tables`` (pandas),
    ``incidents`` with their harm filled (:func:`graphvc.analysis.events.incident_harm`): each method is the
    :mod:`graphvc.analysis` function of the same name on those tables."""

    def __init__(self, tables: dict[str, pd.DataFrame], incidents: pd.DataFrame) -> None:
        self.incidents = incidents
        self.involvements = tables["involvements"]
        self.locations = tables["locations"]

    def absolute_victims(self, *, end: DateLike) -> pd.Index:
        return overlap.absolute_victims(self.incidents, self.involvements, end=end)

    def rfg_scores(self, *, as_of: DateLike, window_days: float) -> pd.DataFrame:
        return priority.rfg_scores(
            self.incidents, self.involvements, as_of=as_of, window_days=window_days
        )

    def escalation_profile(self, *, end: DateLike) -> pd.DataFrame:
        return continuum.escalation_profile(self.incidents, self.involvements, end=end)

    def victim_offender_overlap(
        self, *, as_of: DateLike, window_days: float, cut: float
    ) -> pd.DataFrame:
        return overlap.victim_offender_overlap(
            self.incidents, self.involvements, as_of=as_of, window_days=window_days, cut=cut
        )

    def main_places(self, *, start: DateLike, end: DateLike) -> pd.DataFrame:
        return places.main_places(
            self.incidents, self.involvements, self.locations, start=start, end=end
        )

    def repeat_victims(self, *, as_of: DateLike, window_days: float) -> pd.DataFrame:
        return repeats.repeat_victims(
            self.incidents, self.involvements, as_of=as_of, window_days=window_days
        )

    def domestic_repeats(self, *, end: DateLike) -> pd.DataFrame:
        return repeats.domestic_repeats(self.incidents, self.involvements, end=end)

    def place_harm(self, *, level: PlaceLevel, start: DateLike, end: DateLike) -> pd.DataFrame:
        return places.place_harm(self.incidents, self.locations, level=level, start=start, end=end)

    def repeat_locations(self, *, as_of: DateLike, window_days: float) -> pd.DataFrame:
        return places.repeat_locations(
            self.incidents, self.locations, as_of=as_of, window_days=window_days
        )
