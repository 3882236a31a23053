"""Review and removal: how long each person has been on the priority list, when their listing
is due for review, and who no longer offends.

A person stays on a list only while the data says so, and the list is reviewed: the ICO's 2018
enforcement notice on the Metropolitan Police's Gangs Matrix found people kept on it who no
longer met its criteria, with no review and no removal. So every listed person carries
``listed_since`` (the as-of date of the first report of their unbroken run of reports on the
list) and ``review_by`` (``listed_since`` + the review period), and ``review.csv`` names those
due for review and those with no offending in the last months, recommended for removal.

``listed_since`` is read from the earlier reports in the report folder, not from the database:
it is reproducible from the folder alone, and no report writes to the graph.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from graphvc.analysis.events import person_incidents
from graphvc.contract import PERPETRATOR_ROLES
from graphvc.reports import folders

__all__ = [
    "DEFAULT_INACTIVE_MONTHS",
    "DEFAULT_REVIEW_DAYS",
    "RECOMMENDATIONS",
    "earlier_lists",
    "last_offending",
    "listing_dates",
    "review_by",
    "review_table",
]

#: Days from a person's first listing to the review of their listing.
DEFAULT_REVIEW_DAYS = 90
#: A listed person with no offending in this many months is recommended for removal.
DEFAULT_INACTIVE_MONTHS = 12
#: What ``review.csv`` recommends, in its order: removal first.
RECOMMENDATIONS = ("remove", "review")
_COLUMNS = [
    "person_id",
    "rank",
    "listed_since",
    "review_by",
    "last_offending",
    "reason",
    "recommendation",
]


def earlier_lists(
    out_dir: Path,
    before: str,
    *,
    comparable: Callable[[Mapping[str, Any]], bool],
) -> Iterator[tuple[str, pd.DataFrame]]:
    """The lists (``person_id``, and ``listed_since`` where the report has it) of the
    complete, ``comparable`` reports in ``out_dir`` dated before ``before``, newest first,
    each with its as-of date; read one by one, as asked for."""
    for report in folders.earlier_reports(out_dir, before, comparable=comparable):
        yield (
            report.name,
            pd.read_csv(
                report / "offenders.csv",
                usecols=lambda column: column in ("person_id", "listed_since"),
                dtype="string",
            ),
        )


def listing_dates(
    listed: Iterable[str], as_of: str, earlier: Iterable[tuple[str, pd.DataFrame]]
) -> pd.Series:
    """Since when each listed person has been on the list without a break.

    Parameters
    ----------
    listed : iterable of str
        The people on this report's list.
    as_of : str
        This report's date (``YYYY-MM-DD``).
    earlier : iterable of (str, pandas.DataFrame)
        The earlier reports' dates and lists (``person_id``, optionally ``listed_since``),
        newest first (:func:`earlier_lists`).

    Returns
    -------
    pandas.Series
        ``listed_since`` (``YYYY-MM-DD``) by person, in the order of ``listed``: the date of
        the first report of the unbroken run of reports the person is on, ending with this
        one. Someone who left the list and came back starts a new run. A report that carries
        ``listed_since`` ends the walk back; earlier reports without it are walked through.

    Examples
    --------
    A was on both earlier lists, B only on the newest, C left the list and came back:

    >>> earlier = [("2025-01-08", pd.DataFrame({"person_id": ["A", "B"]})),
    ...            ("2025-01-01", pd.DataFrame({"person_id": ["A", "C"]}))]
    >>> listing_dates(["A", "B", "C"], "2025-01-15", earlier).to_dict()
    {'A': '2025-01-01', 'B': '2025-01-08', 'C': '2025-01-15'}
    """
    since = {str(person): as_of for person in listed}
    open_runs = set(since)
    for report, table in earlier:
        if not open_runs:
            break
        on_list = table.set_index(table["person_id"].astype("string"))
        continuing = open_runs & set(on_list.index)
        for person in continuing:
            since[person] = report
        if "listed_since" in on_list:
            recorded = on_list["listed_since"].dropna()
            for person in continuing & set(recorded.index):
                since[person] = str(recorded[person])
            break
        open_runs = continuing
    return pd.Series(since, dtype="string", name="listed_since").rename_axis("person_id")


def last_offending(
    incidents: pd.DataFrame, involvements: pd.DataFrame, *, end: pd.Timestamp
) -> pd.Series:
    """Each person's latest incident as offender or suspect before ``end`` (all history).

    Examples
    --------
    >>> incidents = pd.DataFrame({"incident_id": ["I1", "I2", "I3"],
    ...     "occurred_at": ["2023-01-05", "2024-06-01", "2025-02-01"],
    ...     "offence": ["personal_robbery"] * 3})
    >>> involvements = pd.DataFrame({"person_id": ["A", "A", "V", "A"],
    ...     "incident_id": ["I1", "I2", "I2", "I3"], "role": ["offender", "suspect", "victim", "offender"]})
    >>> last_offending(incidents, involvements, end=pd.Timestamp("2025-01-01")).to_dict()
    {'A': Timestamp('2024-06-01 00:00:00')}
    """
    events = person_incidents(incidents, involvements, roles=PERPETRATOR_ROLES, end=end)
    return events.groupby("person_id")["occurred_at"].max().rename("last_offending")


def review_table(
    offenders: pd.DataFrame,
    offended: pd.Series,
    *,
    as_of: str,
    inactive_months: int = DEFAULT_INACTIVE_MONTHS,
) -> pd.DataFrame:
    """The listed people due for review or recommended for removal.

    Parameters
    ----------
    offenders : pandas.DataFrame
        The list: ``person_id``, ``rank``, ``listed_since`` and ``review_by`` (ISO dates).
    offended : pandas.Series
        Each person's latest offending (:func:`last_offending`), by person.
    as_of : str
        The report's date (``YYYY-MM-DD``).
    inactive_months : int
        No offending in this many months before ``as_of`` recommends removal.

    Returns
    -------
    pandas.DataFrame
        One row per listed person due for review (``review_by`` ≤ ``as_of``) or with no
        offending in the last ``inactive_months`` months: ``person_id``, ``rank``,
        ``listed_since``, ``review_by``, ``last_offending`` (empty for someone listed through
        intelligence links alone), ``reason`` (``due for review``, ``no offending in N
        months``, or both, separated by ``;``) and ``recommendation`` (``remove`` when the
        offending has stopped, else ``review``); removals first, then by rank and person.

    Examples
    --------
    >>> offenders = pd.DataFrame({"person_id": ["A", "B", "C"], "rank": [1, 2, 3],
    ...     "listed_since": ["2024-10-01", "2025-01-01", "2025-01-01"],
    ...     "review_by": ["2024-12-30", "2025-04-01", "2025-04-01"]})
    >>> offended = pd.Series({"A": pd.Timestamp("2024-12-24"), "B": pd.Timestamp("2024-12-01"),
    ...                       "C": pd.Timestamp("2023-11-30")})
    >>> review_table(offenders, offended, as_of="2025-01-01")[
    ...     ["person_id", "reason", "recommendation"]].to_numpy().tolist()
    [['C', 'no offending in 12 months', 'remove'], ['A', 'due for review', 'review']]
    """
    table = offenders[["person_id", "rank", "listed_since", "review_by"]].copy()
    table["person_id"] = table["person_id"].astype("string")
    # Reindexed, not mapped: a graph without offending gives an empty series of any type.
    latest = offended.reindex(table["person_id"].to_numpy()).to_numpy()
    table["last_offending"] = pd.to_datetime(latest).as_unit("ns")
    moment = pd.Timestamp(as_of)
    due = (table["review_by"] <= as_of).to_numpy(dtype=bool)
    cutoff = moment - pd.DateOffset(months=inactive_months)
    inactive = ~(table["last_offending"] >= cutoff).to_numpy(dtype=bool)
    reasons = [
        "; ".join(
            reason
            for reason, applies in (
                ("due for review", is_due),
                (f"no offending in {inactive_months} months", is_inactive),
            )
            if applies
        )
        for is_due, is_inactive in zip(due, inactive, strict=True)
    ]
    table["reason"] = pd.Series(reasons, index=table.index, dtype="string")
    table["recommendation"] = pd.Series(
        ["remove" if is_inactive else "review" for is_inactive in inactive],
        index=table.index,
        dtype="string",
    )
    table = table[due | inactive]
    order = table["recommendation"].map({r: i for i, r in enumerate(RECOMMENDATIONS)})
    table = table.assign(_order=order).sort_values(["_order", "rank", "person_id"], kind="stable")
    return table[_COLUMNS].reset_index(drop=True)


def review_by(listed_since: pd.Series, review_days: int = DEFAULT_REVIEW_DAYS) -> pd.Series:
    """``listed_since`` + ``review_days`` days, as ISO dates.

    >>> review_by(pd.Series(["2025-01-01"]), 90).tolist()
    ['2025-04-01']
    """
    return listed_since.map(
        lambda day: (date.fromisoformat(str(day)) + timedelta(days=review_days)).isoformat()
    ).astype("string")
