"""The Spark engine's side of the table-measures seam (:mod:`graphvc.runs.measures`).

:class:`SparkTableMeasures` answers the stages' questions (the
:class:`~graphvc.runs.measures.TableMeasures` protocol) as the in-process engine does, each by a Spark job on the tables the connector read (:mod:`graphvc.spark.victims`,
:mod:`graphvc.spark.places`, :mod:`graphvc.spark.continuum`); only each measure's result, one
row per person or place, comes back to the driver.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import pandas as pd

from graphvc.analysis.events import DateLike
from graphvc.runs.measures import PlaceLevel
from graphvc.spark import continuum, places, victims
from graphvc.spark.events import filled_incidents, wall_clock

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

__all__ = ["SparkTableMeasures"]


class SparkTableMeasures:
    """The table measures as Spark jobs on ``frames``, the contract's tables as
    :func:`graphvc.spark.read.read_tables` gives them (date-times as epoch milliseconds):
    their date-times become wall-clock time (:func:`~graphvc.spark.events.wall_clock`) and the
    incidents' harm is filled (:func:`~graphvc.spark.events.filled_incidents`) once, cached
    until :meth:`release`."""

    def __init__(self, frames: Mapping[str, DataFrame]) -> None:
        timed = {table: wall_clock(frame, table) for table, frame in frames.items()}
        self.incidents = filled_incidents(timed["incidents"]).cache()
        self.involvements = timed["involvements"].cache()
        self.locations = timed["locations"].cache()

    def release(self) -> None:
        """Unpersist the cached tables."""
        for frame in (self.incidents, self.involvements, self.locations):
            frame.unpersist()

    def absolute_victims(self, *, end: DateLike) -> pd.Index:
        return victims.absolute_victims(self.incidents, self.involvements, end=end)

    def rfg_scores(self, *, as_of: DateLike, window_days: float) -> pd.DataFrame:
        return victims.rfg_scores(
            self.incidents, self.involvements, as_of=as_of, window_days=window_days
        )

    def escalation_profile(self, *, end: DateLike) -> pd.DataFrame:
        return continuum.escalation_profile(self.incidents, self.involvements, end=end)

    def victim_offender_overlap(
        self, *, as_of: DateLike, window_days: float, cut: float
    ) -> pd.DataFrame:
        return victims.victim_offender_overlap(
            self.incidents, self.involvements, as_of=as_of, window_days=window_days, cut=cut
        )

    def main_places(self, *, start: DateLike, end: DateLike) -> pd.DataFrame:
        return places.main_places(
            self.incidents, self.involvements, self.locations, start=start, end=end
        )

    def repeat_victims(self, *, as_of: DateLike, window_days: float) -> pd.DataFrame:
        return victims.repeat_victims(
            self.incidents, self.involvements, as_of=as_of, window_days=window_days
        )

    def domestic_repeats(self, *, end: DateLike) -> pd.DataFrame:
        return victims.domestic_repeats(self.incidents, self.involvements, end=end)

    def place_harm(self, *, level: PlaceLevel, start: DateLike, end: DateLike) -> pd.DataFrame:
        return places.place_harm(self.incidents, self.locations, level=level, start=start, end=end)

    def repeat_locations(self, *, as_of: DateLike, window_days: float) -> pd.DataFrame:
        return places.repeat_locations(
            self.incidents, self.locations, as_of=as_of, window_days=window_days
        )
