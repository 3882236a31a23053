"""When incidents happen: months, periods and the hours of the week, in London's local time.

The explorer's time tools read these: a timeline of a network's incidents (a lane per
person), a period that filters the network and steps through it a month at a time (an
analyst watches a group form, as with Neo4j Bloom's slicer), and the hour-of-day by
day-of-week counts of i2's time wheel. Every moment is read as London wall-clock time
(:data:`graphvc.contract.LOCAL_TIME_ZONE`): an incident at 01:30 UTC in July happened at
02:30 in London, and it is the local hour that says when violence happens (closing time,
the school run), whatever the season.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import networkx as nx
import pandas as pd

from graphvc.contract import LOCAL_TIME_ZONE
from graphvc.explore import EgoNetwork
from graphvc.model import RELATIONSHIP_ROLES

__all__ = [
    "WEEKDAYS",
    "hour_weekday_counts",
    "incident_lanes",
    "month_only",
    "month_span",
    "network_incidents",
    "period_bounds",
    "step_period",
    "wall_clock",
    "within_period",
]

#: The days of the week, Monday first (``pandas.Series.dt.day_of_week`` numbers them 0 to 6).
WEEKDAYS: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def wall_clock(moments: Iterable[Any]) -> pd.Series:
    """``moments`` as London wall-clock times (naive ``datetime64``).

    Text or datetimes with a UTC offset are converted to London's local time; naive ones
    are taken as London wall-clock time already (as :mod:`graphvc.graph_tables` reads them).
    Missing values stay missing.

    Examples
    --------
    >>> wall_clock(["2024-07-01T01:30:00+00:00", "2024-01-05T22:10:00Z", None]).tolist()
    [Timestamp('2024-07-01 02:30:00'), Timestamp('2024-01-05 22:10:00'), NaT]
    >>> wall_clock(pd.Series(pd.to_datetime(["2024-07-01 02:30"]))).tolist()
    [Timestamp('2024-07-01 02:30:00')]
    """
    values = pd.Series(list(moments) if not isinstance(moments, pd.Series) else moments)
    if pd.api.types.is_datetime64_any_dtype(values) and getattr(values.dt, "tz", None) is None:
        return values.astype("datetime64[ns]").reset_index(drop=True)
    instants = pd.to_datetime(values, utc=True, format="ISO8601")
    return instants.dt.tz_convert(LOCAL_TIME_ZONE).dt.tz_localize(None).reset_index(drop=True)


def hour_weekday_counts(incidents: pd.DataFrame, *, column: str = "occurred_at") -> pd.DataFrame:
    """How many ``incidents`` fall in each hour of each day of the week, in London time.

    The data of i2's time wheel, or of a heat map of the week.

    Parameters
    ----------
    incidents : DataFrame
        One row an incident, with the moment it occurred in ``column`` (see
        :func:`wall_clock` for the forms read).
    column : str, default "occurred_at"

    Returns
    -------
    DataFrame
        168 rows, every hour of the week even where none happened: ``weekday`` (0 is
        Monday), ``day`` (:data:`WEEKDAYS`), ``hour`` (0 to 23) and ``incidents``.

    Examples
    --------
    Friday 5 January 2024, 22:10 GMT, and Saturday 6 July 2024, 23:30 UTC (00:30 BST on
    Sunday):

    >>> frame = pd.DataFrame({"occurred_at": ["2024-01-05T22:10:00Z", "2024-07-06T23:30:00Z"]})
    >>> counts = hour_weekday_counts(frame)
    >>> counts[counts["incidents"] > 0][["day", "hour", "incidents"]].to_numpy().tolist()
    [['Fri', 22, 1], ['Sun', 0, 1]]
    >>> len(counts), int(counts["incidents"].sum())
    (168, 2)
    """
    moments = wall_clock(incidents[column]).dropna()
    counted = (
        pd.DataFrame({"weekday": moments.dt.day_of_week, "hour": moments.dt.hour})
        .value_counts()
        .rename("incidents")
    )
    grid = pd.MultiIndex.from_product([range(7), range(24)], names=["weekday", "hour"])
    counts = counted.reindex(grid, fill_value=0).reset_index()
    counts.insert(1, "day", [WEEKDAYS[d] for d in counts["weekday"]])
    return counts.astype({"weekday": int, "hour": int, "incidents": int})


def month_only(moments: Iterable[Any]) -> pd.Series:
    """Which of ``moments`` are midnight on the first of a month, London time: the date
    police.uk gives every crime (it publishes the month alone), whose hour and day of the
    week say nothing of when it happened.

    >>> month_only(["2024-01-01T00:00:00Z", "2024-07-01T00:00:00+01:00", "2024-01-05T22:10:00Z"]).tolist()
    [True, True, False]
    """
    local = wall_clock(moments)
    first: pd.Series = (local.dt.day == 1) & (local.dt.hour == 0) & (local.dt.minute == 0)
    return first.fillna(False)


def month_span(moments: Iterable[Any]) -> list[pd.Period]:
    """Every calendar month (London time) from the first of ``moments`` to the last,
    including the months between with none; empty when there are none.

    >>> [str(m) for m in month_span(["2024-03-31T23:30:00Z", "2024-01-05T22:10:00Z"])]
    ['2024-01', '2024-02', '2024-03', '2024-04']
    """
    known = wall_clock(moments).dropna()
    if known.empty:
        return []
    return list(pd.period_range(known.min().to_period("M"), known.max().to_period("M"), freq="M"))


def period_bounds(first: pd.Period, last: pd.Period) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The months ``first`` to ``last`` (both included) as ``[start, end)`` London wall-clock
    times, from midnight on the first of ``first`` to midnight on the first after ``last``.

    >>> period_bounds(pd.Period("2024-01", "M"), pd.Period("2024-02", "M"))
    (Timestamp('2024-01-01 00:00:00'), Timestamp('2024-03-01 00:00:00'))
    """
    return first.start_time, (last + 1).start_time


def step_period(
    period: tuple[pd.Period, pd.Period],
    span: Sequence[pd.Period],
    steps: int,
    *,
    keep_start: bool = False,
) -> tuple[pd.Period, pd.Period]:
    """``period`` moved ``steps`` months on (back when negative), within ``span``.

    The whole window moves, keeping its length, so that an analyst steps through a network
    a month (or a quarter) at a time; with ``keep_start`` only its end moves, so that the
    network grows from its first month, as a group forms. Neither end leaves ``span``, and
    the end never comes before the start.

    Examples
    --------
    >>> span = list(pd.period_range("2024-01", "2024-06", freq="M"))
    >>> jan, feb, may, jun = (pd.Period(m, "M") for m in ("2024-01", "2024-02", "2024-05", "2024-06"))
    >>> [str(m) for m in step_period((jan, feb), span, 1)]
    ['2024-02', '2024-03']
    >>> [str(m) for m in step_period((may, jun), span, 1)]  # at the end already
    ['2024-05', '2024-06']
    >>> [str(m) for m in step_period((jan, feb), span, 2, keep_start=True)]
    ['2024-01', '2024-04']
    >>> [str(m) for m in step_period((jan, feb), span, -3, keep_start=True)]
    ['2024-01', '2024-01']
    """
    first, last = span[0], span[-1]
    start, end = period
    if keep_start:
        return start, min(max(end + steps, start), last)
    width = (end - start).n
    moved = min(max(start + steps, first), last - width)
    return moved, moved + width


def network_incidents(network: EgoNetwork) -> pd.DataFrame:
    """The incidents of ``network`` in date order, each with what the network shows of it.

    Returns
    -------
    DataFrame
        ``element_id``, ``id``, ``occurred_at`` (London wall-clock time), ``category``,
        ``place`` (the names or ids of the locations linked to it in the network, or "not
        shown") and ``people`` (its people in the network with their roles, e.g. "P1
        offender, P3 victim"; "none shown" when there are none).
    """
    nodes = network.nodes
    incidents = nodes[nodes["label"] == "Incident"]
    named = nodes.set_index("element_id")
    places: dict[str, list[str]] = {}
    people: dict[str, list[str]] = {}
    for source, target, kind in network.edges[["source", "target", "type"]].itertuples(
        index=False, name=None
    ):
        if kind == "OCCURRED_AT" and target in named.index:
            name = named.at[target, "name"]
            place = name if isinstance(name, str) and name else named.at[target, "id"]
            places.setdefault(source, []).append(str(place))
        elif kind in RELATIONSHIP_ROLES and source in named.index:
            people.setdefault(target, []).append(
                f"{named.at[source, 'id']!s} {RELATIONSHIP_ROLES[kind]}"
            )
    frame = pd.DataFrame(
        {
            "element_id": incidents["element_id"].astype(str),
            "id": incidents["id"].astype(str),
            "occurred_at": wall_clock(incidents["occurred_at"]).to_numpy(),
            "category": incidents["category"].where(incidents["category"].notna(), None),
        }
    )
    frame["place"] = [", ".join(places.get(e, [])) or "not shown" for e in frame["element_id"]]
    frame["people"] = [
        ", ".join(sorted(people.get(e, []))) or "none shown" for e in frame["element_id"]
    ]
    return frame.sort_values(["occurred_at", "id"], kind="stable").reset_index(drop=True)


def incident_lanes(network: EgoNetwork) -> pd.DataFrame:
    """The marks of a timeline of ``network``: one row per person and incident they are part
    of (an incident with no person shown gets one row in the lane "no person shown"), in
    date order.

    Returns
    -------
    DataFrame
        The columns of :func:`network_incidents`, and ``person`` (the lane) and ``role``.
    """
    incidents = network_incidents(network)
    nodes = network.nodes.set_index("element_id")
    roles = network.edges[network.edges["type"].isin(list(RELATIONSHIP_ROLES))]
    roles = roles[roles["source"].isin(nodes.index)]
    involved = pd.DataFrame(
        {
            "element_id": roles["target"].astype(str),
            "person": [str(nodes.at[s, "id"]) for s in roles["source"]],
            "role": roles["type"].map(RELATIONSHIP_ROLES),
        }
    )
    lanes = incidents.merge(involved, on="element_id", how="left")
    lanes["person"] = lanes["person"].astype(object).fillna("no person shown")
    lanes["role"] = lanes["role"].astype(object).fillna("")
    return lanes.sort_values(["occurred_at", "id", "person"], kind="stable").reset_index(drop=True)


def within_period(network: EgoNetwork, start: Any, end: Any) -> EgoNetwork:
    """``network`` as it stood in ``[start, end)`` (London wall-clock times).

    Incidents outside the period are removed with their links. What they alone tied to the
    network goes too: a node stays when it is the centre (hop 0, when it is not an incident
    outside the period), an incident in the period, or still joined to one of these. So a
    person with no incident in the period stays only through a link without a date (a known
    association) to what is shown, and a place whose incidents all fall outside goes.

    Examples
    --------
    P1 offended in I1 (January) with P2; P1 and P6 are associates; P6 offended in I5
    (October) at L3. In January, P6 stays through the association, I5 and L3 go:

    >>> nodes = pd.DataFrame({
    ...     "element_id": ["p1", "p2", "p6", "i1", "i5", "l3"],
    ...     "label": ["Person"] * 3 + ["Incident"] * 2 + ["Location"],
    ...     "id": ["P1", "P2", "P6", "I1", "I5", "L3"],
    ...     "occurred_at": [None] * 3 + ["2024-01-05T22:10:00Z", "2024-10-20T20:45:00Z", None],
    ...     "hop": [0, 2, 1, 1, 2, 3]})
    >>> edges = pd.DataFrame({"source": ["p1", "p2", "p1", "p6", "i5"],
    ...     "target": ["i1", "i1", "p6", "i5", "l3"],
    ...     "type": ["OFFENDER_IN", "OFFENDER_IN", "ASSOCIATE_OF", "OFFENDER_IN", "OCCURRED_AT"]})
    >>> january = within_period(EgoNetwork(nodes, edges, False), "2024-01-01", "2024-02-01")
    >>> january.nodes["id"].tolist(), len(january.edges)
    (['P1', 'P2', 'P6', 'I1'], 3)
    """
    nodes, edges = network.nodes, network.edges
    moments = wall_clock(nodes["occurred_at"])
    moments.index = nodes.index
    incident = (nodes["label"] == "Incident").to_numpy()
    inside = (moments >= pd.Timestamp(start)) & (moments < pd.Timestamp(end))
    outside = incident & ~inside.to_numpy()
    anchors = set(nodes.loc[incident & inside.to_numpy(), "element_id"])
    anchors |= set(nodes.loc[(nodes["hop"] == 0).to_numpy() & ~outside, "element_id"])
    dropped = set(nodes.loc[outside, "element_id"])
    kept_edges = edges[~edges["source"].isin(dropped) & ~edges["target"].isin(dropped)]
    graph = nx.Graph()
    graph.add_nodes_from(set(nodes["element_id"]) - dropped)
    graph.add_edges_from(kept_edges[["source", "target"]].itertuples(index=False, name=None))
    shown: set[str] = set()
    for component in nx.connected_components(graph):
        if component & anchors:
            shown |= component
    kept_nodes = nodes[nodes["element_id"].isin(shown)].reset_index(drop=True)
    kept_edges = kept_edges[kept_edges["source"].isin(shown) & kept_edges["target"].isin(shown)]
    return EgoNetwork(kept_nodes, kept_edges.reset_index(drop=True), network.truncated)
