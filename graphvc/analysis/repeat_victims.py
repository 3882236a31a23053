"""Repeat victimisation: how much of the harm falls on people who are victimised again.

Farrell & Pease (1993) showed that past victimisation is the best single predictor of
future victimisation, and Trickett et al. (1992) split a crime rate into *prevalence*
(victims per head), *concentration* (victimisations per victim) and *incidence*
(victimisations per head = prevalence × concentration). A victim here is a person with the
role ``victim`` in an incident; a victimisation is one (victim, incident) pair.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import pandas as pd

from graphvc.analysis.events import DateLike, incident_harm, person_incidents, rolling_window
from graphvc.analysis.harm import harm_by
from graphvc.contract import PERPETRATOR_ROLES
from graphvc.errors import AnalysisError
from graphvc.harm_index import HarmTable

__all__ = [
    "domestic_repeats",
    "latest_risk_assessments",
    "repeat_targets",
    "repeat_victimisation",
    "repeat_victims",
    "time_to_repeat",
]

_DAY = 86_400.0  # seconds


def repeat_victimisation(
    incidents: pd.DataFrame,
    involvements: pd.DataFrame,
    *,
    population: float | None = None,
    start: DateLike | None = None,
    end: DateLike | None = None,
    harm_table: HarmTable | None = None,
) -> dict[str, float | int | None]:
    """Prevalence, incidence and concentration of victimisation, and the repeat victims' share.

    Parameters
    ----------
    incidents, involvements : pandas.DataFrame
        Tables of the input contract.
    population : float, optional
        The number of people at risk. Without it, prevalence and incidence are counts.
    start, end : date-like, optional
        Count incidents with ``start <= occurred_at < end``.
    harm_table : HarmTable, optional
        As in :func:`graphvc.analysis.harm.incident_harm`.

    Returns
    -------
    dict
        ``victims`` (distinct victims), ``victimisations`` ((victim, incident) pairs),
        ``repeat_victims`` (victims with 2 or more), ``repeat_victimisations`` (all the
        victimisations of repeat victims, their first included), ``prevalence``
        (victims / population), ``incidence`` (victimisations / population),
        ``concentration`` (victimisations / victims; NaN without victims),
        ``repeat_share`` (repeat_victimisations / victimisations; NaN without any) and
        ``population`` as given. Multiply prevalence and incidence by 1,000 for rates per
        thousand.

    Examples
    --------
    >>> incidents = pd.DataFrame({
    ...     "incident_id": ["I1", "I2", "I3", "I4"],
    ...     "occurred_at": ["2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01"],
    ...     "offence": ["violence_with_injury"] * 4,
    ... })
    >>> involvements = pd.DataFrame({
    ...     "person_id": ["V1", "V1", "V1", "V2"],
    ...     "incident_id": ["I1", "I2", "I3", "I4"],
    ...     "role": ["victim"] * 4,
    ... })
    >>> figures = repeat_victimisation(incidents, involvements, population=100)
    >>> figures["prevalence"], figures["incidence"]
    (0.02, 0.04)
    >>> figures["concentration"], figures["repeat_share"]
    (2.0, 0.75)

    References
    ----------
    .. [1] Farrell, G., & Pease, K. (1993). *Once bitten, twice bitten: repeat
       victimisation and its implications for crime prevention*. Crime Prevention Unit
       Paper 46. London: Home Office.
    .. [2] Trickett, A., Osborn, D. R., Seymour, J., & Pease, K. (1992). What is different
       about high crime areas? *British Journal of Criminology*, 32(1), 81-89.
       doi:10.1093/oxfordjournals.bjc.a048181
    .. [3] Farrell, G. (1995). Preventing repeat victimization. *Crime and Justice*, 19,
       469-534. doi:10.1086/449236
    """
    if population is not None and not population > 0:
        raise AnalysisError(f"population={population!r} must be a positive number of people")
    events = person_incidents(
        incidents, involvements, roles=("victim",), start=start, end=end, harm_table=harm_table
    )
    counts = events.groupby("person_id").size()
    victims, victimisations = len(counts), int(counts.sum())
    repeats = counts[counts >= 2]
    per_head = population if population is not None else 1
    return {
        "victims": victims,
        "victimisations": victimisations,
        "repeat_victims": len(repeats),
        "repeat_victimisations": int(repeats.sum()),
        "prevalence": victims / per_head,
        "incidence": victimisations / per_head,
        "concentration": victimisations / victims if victims else float("nan"),
        "repeat_share": int(repeats.sum()) / victimisations if victimisations else float("nan"),
        "population": population,
    }


def time_to_repeat(
    incidents: pd.DataFrame,
    involvements: pd.DataFrame,
    *,
    start: DateLike | None = None,
    end: DateLike | None = None,
    harm_table: HarmTable | None = None,
) -> pd.DataFrame:
    """Days between each repeat victim's successive victimisations.

    The time course of repeats is what makes them preventable: most follow soon after the
    previous one (Farrell & Pease, 1993).

    Parameters
    ----------
    incidents, involvements, start, end, harm_table
        As in :func:`repeat_victimisation`.

    Returns
    -------
    pandas.DataFrame
        One row per repeat (a victimisation after the person's first in the window):
        ``person_id``, ``victimisation`` (2 for the second, 3 for the third, ...),
        ``incident_id``, ``occurred_at``, ``previous_incident_id``, ``previous_at`` and
        ``days`` (fractional days since the previous victimisation). Sorted by person and
        time.

    Examples
    --------
    >>> incidents = pd.DataFrame({
    ...     "incident_id": ["I1", "I2", "I3"],
    ...     "occurred_at": ["2024-01-01", "2024-01-11T12:00", "2024-03-01"],
    ...     "offence": ["violence_with_injury"] * 3,
    ... })
    >>> involvements = pd.DataFrame({
    ...     "person_id": ["V1", "V1", "V2"],
    ...     "incident_id": ["I1", "I2", "I3"],
    ...     "role": ["victim"] * 3,
    ... })
    >>> gaps = time_to_repeat(incidents, involvements)
    >>> gaps[["person_id", "victimisation", "days"]].to_numpy().tolist()
    [['V1', 2, 10.5]]

    References
    ----------
    .. [1] Farrell, G., & Pease, K. (1993). *Once bitten, twice bitten: repeat
       victimisation and its implications for crime prevention*. Crime Prevention Unit
       Paper 46. London: Home Office.
    """
    events = person_incidents(
        incidents, involvements, roles=("victim",), start=start, end=end, harm_table=harm_table
    )
    by_person = events.groupby("person_id", sort=False)
    gaps = pd.DataFrame(
        {
            "person_id": events["person_id"],
            "victimisation": by_person.cumcount() + 1,
            "incident_id": events["incident_id"],
            "occurred_at": events["occurred_at"],
            "previous_incident_id": by_person["incident_id"].shift(),
            "previous_at": by_person["occurred_at"].shift(),
        }
    )
    gaps["days"] = (gaps["occurred_at"] - gaps["previous_at"]).dt.total_seconds() / _DAY
    return gaps[gaps["victimisation"] >= 2].reset_index(drop=True)


def repeat_targets(
    incidents: pd.DataFrame,
    involvements: pd.DataFrame | None = None,
    locations: pd.DataFrame | None = None,
    *,
    target: Literal["victim", "location"] = "victim",
    as_of: DateLike,
    window_days: float = 365,
    min_count: int = 2,
    harm_table: HarmTable | None = None,
) -> pd.DataFrame:
    """The repeat targets — victims or locations — of the window to ``as_of``.

    A target is a repeat target when it has at least ``min_count`` incidents in the window
    ``[as_of - window_days, as_of)``: repeat victimisation applies to people and places
    alike (Farrell & Pease, 1993).

    Parameters
    ----------
    incidents : pandas.DataFrame
        The incidents table.
    involvements : pandas.DataFrame, optional
        Needed for ``target="victim"``.
    locations : pandas.DataFrame, optional
        With ``target="location"``, adds the location's ``name``.
    target : {"victim", "location"}, default "victim"
        People with the role ``victim``, or the incidents' ``location_id``.
    as_of : date-like
        The end of the window, excluded (see :func:`graphvc.analysis.harm.rolling_window`).
    window_days : float, default 365
        The length of the window.
    min_count : int, default 2
        The fewest incidents that make a repeat target.
    harm_table : HarmTable, optional
        As in :func:`graphvc.analysis.harm.incident_harm`.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``person_id`` or ``location_id``: ``incidents``, ``harm`` (total),
        ``harm_share`` (share of the harm of all targets in the window), ``first_at``,
        ``last_at`` (and the location's ``name``). Sorted by incidents, then harm
        (descending).

    Examples
    --------
    >>> incidents = pd.DataFrame({
    ...     "incident_id": ["I1", "I2", "I3"],
    ...     "occurred_at": ["2024-02-01", "2024-03-01", "2024-04-01"],
    ...     "offence": ["violence_with_injury"] * 3,
    ...     "location_id": ["L1", "L1", "L2"],
    ... })
    >>> repeat_targets(incidents, target="location", as_of="2025-01-01")["incidents"].to_dict()
    {'L1': 2}

    References
    ----------
    .. [1] Farrell, G., & Pease, K. (1993). *Once bitten, twice bitten: repeat
       victimisation and its implications for crime prevention*. Crime Prevention Unit
       Paper 46. London: Home Office.
    """
    if min_count < 2:
        raise AnalysisError(f"min_count={min_count!r} must be at least 2 for a repeat")
    start, end = rolling_window(as_of, window_days)
    repeats = harm_by(
        incidents,
        involvements,
        locations,
        by=target,
        start=start,
        end=end,
        min_incidents=min_count,
        harm_table=harm_table,
    )
    return repeats.sort_values(["incidents", "harm"], ascending=False, kind="stable")


def repeat_victims(
    incidents: pd.DataFrame,
    involvements: pd.DataFrame,
    *,
    as_of: DateLike,
    window_days: float = 365,
    min_count: int = 2,
    harm_table: HarmTable | None = None,
) -> pd.DataFrame:
    """The victims with at least ``min_count`` victimisations in the year (window) to ``as_of``.

    :func:`repeat_targets` for people, with ``incidents`` named ``victimisations``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``person_id``: ``victimisations``, ``harm`` (total harm suffered),
        ``harm_share`` (share of the harm suffered by all victims in the window),
        ``first_at`` and ``last_at``. Sorted by victimisations, then harm (descending).

    Examples
    --------
    >>> incidents = pd.DataFrame({
    ...     "incident_id": ["I1", "I2", "I3", "I4"],
    ...     "occurred_at": ["2023-06-01", "2024-02-01", "2024-03-01", "2024-04-01"],
    ...     "offence": ["violence_with_injury"] * 4,
    ... })
    >>> involvements = pd.DataFrame({
    ...     "person_id": ["V1", "V1", "V1", "V2"],
    ...     "incident_id": ["I1", "I2", "I3", "I4"],
    ...     "role": ["victim"] * 4,
    ... })
    >>> victims = repeat_victims(incidents, involvements, as_of="2025-01-01")
    >>> victims[["victimisations", "harm"]].to_dict("index")
    {'V1': {'victimisations': 2, 'harm': 730.0}}

    References
    ----------
    .. [1] Farrell, G., & Pease, K. (1993). *Once bitten, twice bitten: repeat
       victimisation and its implications for crime prevention*. Crime Prevention Unit
       Paper 46. London: Home Office.
    .. [2] Dudfield, G., Angel, C., Sherman, L. W., & Torrence, S. (2017). The "power curve"
       of victim harm: targeting the distribution of crime harm index values across all
       victims and repeat victims over 1 year. *Cambridge Journal of Evidence-Based
       Policing*, 1. doi:10.1007/s41887-017-0001-3
    """
    return repeat_targets(
        incidents,
        involvements,
        target="victim",
        as_of=as_of,
        window_days=window_days,
        min_count=min_count,
        harm_table=harm_table,
    ).rename(columns={"incidents": "victimisations"})


def latest_risk_assessments(assessments: pd.DataFrame, *, as_of: DateLike) -> pd.DataFrame:
    """Each person's latest risk assessment (e.g. DASH) before ``as_of``.

    Parameters
    ----------
    assessments : pandas.DataFrame
        The contract's ``risk_assessments`` table.
    as_of : date-like
        Assessments at or after it are left out.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``person_id``: ``assessment_tool``, ``assessment_level`` and
        ``assessed_at`` of the latest assessment (of two at the same moment, the later tool
        by name), and ``assessments`` (how many before ``as_of``).

    Examples
    --------
    >>> assessments = pd.DataFrame({"person_id": ["V1", "V1", "V2"],
    ...     "incident_id": ["I1", "I2", "I3"],
    ...     "assessed_at": ["2024-03-15T04:00", "2024-09-03T10:00", "2025-02-01T09:00"],
    ...     "tool": ["DASH"] * 3, "level": ["standard", "high", "medium"]})
    >>> latest = latest_risk_assessments(assessments, as_of="2025-01-01")
    >>> latest[["assessment_level", "assessments"]].to_dict("index")
    {'V1': {'assessment_level': 'high', 'assessments': 2}}

    References
    ----------
    .. [1] Richards, L. (2009). *Domestic Abuse, Stalking and Harassment and Honour Based
       Violence (DASH, 2009) Risk Identification and Assessment and Management Model*.
       ACPO / CAADA.
    """
    moment = pd.Timestamp(as_of)
    when = pd.to_datetime(assessments["assessed_at"])
    before = assessments.assign(assessed_at=when)[when < moment]
    before = before.sort_values(["person_id", "assessed_at", "tool"], kind="stable")
    grouped = before.groupby(before["person_id"].astype("string"))
    latest = grouped.last()
    latest["assessments"] = grouped.size().astype("int64")
    latest = latest.rename(columns={"tool": "assessment_tool", "level": "assessment_level"})
    return latest[["assessment_tool", "assessment_level", "assessed_at", "assessments"]]


def domestic_repeats(
    incidents: pd.DataFrame,
    involvements: pd.DataFrame,
    *,
    window_days: float = 365,
    perpetrator_roles: Iterable[str] = PERPETRATOR_ROLES,
    start: DateLike | None = None,
    end: DateLike | None = None,
    harm_table: HarmTable | None = None,
) -> pd.DataFrame:
    """Victim–perpetrator pairs who meet again in domestic abuse within ``window_days``.

    An incident is domestic abuse when its ``category`` is ``domestic_abuse`` or its
    ``domestic`` flag is true. A pair is a victim and a perpetrator (any of
    ``perpetrator_roles``) of the same such incident; a person in both roles is not paired
    with themself. A pair is a *domestic repeat* when at least one of its domestic
    incidents follows the pair's previous one by no more than ``window_days`` days
    (``gap <= window_days``: 365 days later is within, 366 is not) — the repeat
    twelve-month window police forces in England and Wales use to count repeat domestic abuse.

    Parameters
    ----------
    incidents, involvements : pandas.DataFrame
        Tables of the input contract.
    window_days : float, default 365
        The longest gap between two incidents of a pair that makes the second a repeat.
    perpetrator_roles : iterable of str, default ("offender", "suspect")
        The roles that make a perpetrator.
    start, end, harm_table
        As in :func:`repeat_victimisation`.

    Returns
    -------
    pandas.DataFrame
        One row per repeat pair: ``victim_id``, ``perpetrator_id``, ``incidents`` (the
        pair's domestic incidents), ``repeats`` (how many followed the previous one within
        the window), ``min_gap_days`` (the shortest gap between successive incidents),
        ``first_at``, ``last_at`` and ``harm`` (the total harm of the pair's domestic
        incidents). Sorted by repeats (descending), then the shortest gap.

    Examples
    --------
    >>> incidents = pd.DataFrame({
    ...     "incident_id": ["I1", "I2", "I3"],
    ...     "occurred_at": ["2023-01-01", "2023-12-01", "2025-06-01"],
    ...     "offence": ["violence_without_injury", "stalking", "violence_without_injury"],
    ...     "domestic": ["true", "false", "true"],
    ... })
    >>> involvements = pd.DataFrame({
    ...     "person_id": ["V", "P", "V", "P", "V", "P"],
    ...     "incident_id": ["I1", "I1", "I2", "I2", "I3", "I3"],
    ...     "role": ["victim", "offender"] * 3,
    ... })
    >>> pairs = domestic_repeats(incidents, involvements)
    >>> columns = ["victim_id", "perpetrator_id", "incidents", "repeats", "min_gap_days"]
    >>> pairs[columns].to_numpy().tolist()
    [['V', 'P', 3, 1, 334.0]]

    References
    ----------
    .. [1] Farrell, G., & Pease, K. (1993). *Once bitten, twice bitten: repeat
       victimisation and its implications for crime prevention*. Crime Prevention Unit
       Paper 46. London: Home Office.
    .. [2] Hanmer, J., Griffiths, S., & Jerwood, D. (1999). *Arresting evidence: domestic
       violence and repeat victimisation*. Police Research Series Paper 104. London: Home
       Office.
    """
    if not window_days > 0:
        raise AnalysisError(f"window_days={window_days!r} must be a positive number of days")
    table = incident_harm(incidents, start=start, end=end, harm_table=harm_table)
    domestic = table[(table["category"] == "domestic_abuse") | table["domestic"]]
    victims = person_incidents(domestic, involvements, roles=("victim",))
    perpetrators = person_incidents(domestic, involvements, roles=perpetrator_roles)
    pairs = victims.rename(columns={"person_id": "victim_id"}).merge(
        perpetrators[["person_id", "incident_id"]].rename(columns={"person_id": "perpetrator_id"}),
        on="incident_id",
    )
    pairs = pairs[pairs["victim_id"] != pairs["perpetrator_id"]].sort_values(
        ["victim_id", "perpetrator_id", "occurred_at", "incident_id"], kind="stable"
    )
    keys = ["victim_id", "perpetrator_id"]
    pairs["gap_days"] = pairs.groupby(keys)["occurred_at"].diff().dt.total_seconds() / _DAY
    pairs["repeat"] = pairs["gap_days"] <= window_days
    grouped = pairs.groupby(keys, sort=True)
    result = pd.DataFrame(
        {
            "incidents": grouped["incident_id"].size(),
            "repeats": grouped["repeat"].sum().astype("int64"),
            "min_gap_days": grouped["gap_days"].min(),
            "first_at": grouped["occurred_at"].min(),
            "last_at": grouped["occurred_at"].max(),
            "harm": grouped["harm"].sum().astype(float),
        }
    )
    result = result[result["repeats"] > 0].reset_index()
    return result.sort_values(
        ["repeats", "min_gap_days"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)
