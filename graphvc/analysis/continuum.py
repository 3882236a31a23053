"""The continuum of violence: how a person's offending moves between categories over time.

Criminal-career research follows the order of a person's offences — transition matrices
between offence types (Blumstein et al., 1988), the diversity of the types (Sullivan et
al., 2009, after Simpson, 1949), and the trend in their seriousness (Liu et al., 2011).
Here the types are the eight categories of :data:`graphvc.model.CATEGORIES` and
seriousness is Cambridge crime harm.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence

import numpy as np
import pandas as pd

from graphvc.analysis.events import DateLike, is_in, person_incidents
from graphvc.contract import CATEGORIES, PERPETRATOR_ROLES
from graphvc.errors import AnalysisError
from graphvc.harm_index import HarmTable

__all__ = [
    "WEAPON_CATEGORIES",
    "category_sequences",
    "diversity_index",
    "escalated_to_knife_or_gun",
    "escalation_profile",
    "harm_slope",
    "transition_matrix",
]

#: The categories that mark weapon-enabled violence.
WEAPON_CATEGORIES: tuple[str, ...] = ("gun_enabled", "knife_enabled")

_YEAR_DAYS = 365.25
_DAY = 86_400.0  # seconds


def category_sequences(
    incidents: pd.DataFrame,
    involvements: pd.DataFrame,
    *,
    roles: Iterable[str] = PERPETRATOR_ROLES,
    start: DateLike | None = None,
    end: DateLike | None = None,
    harm_table: HarmTable | None = None,
) -> pd.DataFrame:
    """Each person's offending as the sequence of its categories in time order.

    Parameters
    ----------
    incidents, involvements : pandas.DataFrame
        Tables of the input contract.
    roles : iterable of str, default ("offender", "suspect")
        The roles that count as offending.
    start, end : date-like, optional
        Keep incidents with ``start <= occurred_at < end``.
    harm_table : HarmTable, optional
        As in :func:`graphvc.analysis.harm.incident_harm`.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``person_id``: ``sequence`` (a tuple of categories, earliest first;
        incidents at the same moment in ``incident_id`` order), ``incidents``,
        ``first_at`` and ``last_at``.

    Examples
    --------
    >>> incidents = pd.DataFrame({
    ...     "incident_id": ["I1", "I2", "I3"],
    ...     "occurred_at": ["2024-05-01", "2024-01-01", "2024-09-01"],
    ...     "offence": ["possession_weapon", "violence_without_injury", "firearm_discharge"],
    ... })
    >>> involvements = pd.DataFrame({
    ...     "person_id": ["A", "A", "A"],
    ...     "incident_id": ["I1", "I2", "I3"],
    ...     "role": ["offender"] * 3,
    ... })
    >>> category_sequences(incidents, involvements).loc["A", "sequence"]
    ('other_violence', 'knife_enabled', 'gun_enabled')
    """
    events = person_incidents(
        incidents, involvements, roles=roles, start=start, end=end, harm_table=harm_table
    )
    grouped = events.groupby("person_id", sort=True)
    return pd.DataFrame(
        {
            "sequence": grouped["category"].agg(tuple),
            "incidents": grouped.size(),
            "first_at": grouped["occurred_at"].min(),
            "last_at": grouped["occurred_at"].max(),
        }
    )


def transition_matrix(
    sequences: pd.DataFrame | pd.Series,
    *,
    people: Hashable | Iterable[Hashable] | None = None,
    normalize: bool = False,
) -> pd.DataFrame:
    """Counts (or probabilities) of moving from one category to the next.

    Every pair of successive incidents in a person's sequence is one transition; the
    matrix sums them over ``people`` — one person, a set, or the nodes of a network.

    Parameters
    ----------
    sequences : pandas.DataFrame or pandas.Series
        From :func:`category_sequences` (its ``sequence`` column), indexed by person.
    people : person id, iterable of person ids or networkx graph, optional
        Whose transitions to count (a graph counts its nodes); default: everyone. People
        without a sequence add nothing.
    normalize : bool, default False
        Divide each row by its total: the probability of each next category given the
        current one (a row with no transitions out is NaN).

    Returns
    -------
    pandas.DataFrame
        Rows (``from``) and columns (``to``) are all eight categories in the order of
        :data:`graphvc.model.CATEGORIES`.

    Examples
    --------
    >>> sequences = pd.Series({"A": ("other_violence", "knife_enabled", "knife_enabled")})
    >>> matrix = transition_matrix(sequences)
    >>> int(matrix.loc["other_violence", "knife_enabled"])
    1
    >>> int(matrix.loc["knife_enabled", "knife_enabled"])
    1
    >>> int(matrix.to_numpy().sum())
    2

    References
    ----------
    .. [1] Blumstein, A., Cohen, J., Das, S., & Moitra, S. D. (1988). Specialization and
       seriousness during adult criminal careers. *Journal of Quantitative Criminology*,
       4(4), 303-345. doi:10.1007/BF01065341
    """
    chosen = sequences["sequence"] if isinstance(sequences, pd.DataFrame) else sequences
    if people is not None:
        wanted = [people] if isinstance(people, str) or not isinstance(people, Iterable) else people
        chosen = chosen[is_in(chosen.index, wanted)]
    position = {category: i for i, category in enumerate(CATEGORIES)}
    counts = np.zeros((len(CATEGORIES), len(CATEGORIES)), dtype=np.int64)
    for person, sequence in chosen.items():
        unknown = [c for c in sequence if c not in position]
        if unknown:
            raise AnalysisError(
                f"person {person!r}: category {unknown[0]!r} is not one of the model's"
            )
        codes = [position[c] for c in sequence]
        np.add.at(counts, (codes[:-1], codes[1:]), 1)
    matrix = pd.DataFrame(
        counts,
        index=pd.Index(CATEGORIES, name="from"),
        columns=pd.Index(CATEGORIES, name="to"),
    )
    if normalize:
        totals = matrix.sum(axis=1)
        return matrix.div(totals.where(totals > 0), axis=0)
    return matrix


def diversity_index(categories: Iterable[str]) -> float:
    """Gini–Simpson diversity of a person's offence categories: ``1 - Σ p²``.

    ``p`` is the share of the person's incidents in each category. 0 means every incident
    is of one category (a specialist); the largest value, ``1 - 1/k`` for ``k`` categories
    in equal shares, means the most versatile. NaN for no incidents.

    Examples
    --------
    >>> diversity_index(["knife_enabled", "knife_enabled"])
    0.0
    >>> diversity_index(["knife_enabled", "other_violence", "knife_enabled", "gun_enabled"])
    0.625

    References
    ----------
    .. [1] Simpson, E. H. (1949). Measurement of diversity. *Nature*, 163, 688.
       doi:10.1038/163688a0
    .. [2] Sullivan, C. J., McGloin, J. M., Ray, J. V., & Caudy, M. S. (2009). Detecting
       specialization in offending: comparing analytic approaches. *Journal of
       Quantitative Criminology*, 25(4), 419-441. doi:10.1007/s10940-009-9074-x
    """
    one = _one_person(category=pd.Series(list(categories), dtype=object))
    return float(_diversity(one).iloc[0]) if len(one) else float("nan")


def harm_slope(
    occurred_at: Sequence[DateLike] | pd.Series, harm: Sequence[float] | pd.Series
) -> float:
    """Least-squares slope of harm against time, in harm days per year.

    The slope ``b`` of ``harm = a + b·t`` fitted by ordinary least squares, with ``t`` in
    years of 365.25 days: ``b = Σ(t - t̄)(h - h̄) / Σ(t - t̄)²``. Positive means the
    person's offences are getting more harmful (escalation), negative de-escalation.
    NaN with fewer than two incidents or when all happened at the same moment.

    Examples
    --------
    >>> harm_slope(["2023-01-01T00:00", "2024-01-01T06:00"], [10, 30])
    20.0
    >>> harm_slope(["2023-01-01"], [10])
    nan

    References
    ----------
    .. [1] Liu, J., Francis, B., & Soothill, K. (2011). A longitudinal study of escalation
       in crime seriousness. *Journal of Quantitative Criminology*, 27(2), 175-196.
       doi:10.1007/s10940-010-9102-x
    """
    one = _one_person(occurred_at=_times(occurred_at), harm=pd.Series(harm, dtype=float))
    return float(_harm_slopes(one).iloc[0]) if len(one) else float("nan")


def escalated_to_knife_or_gun(
    categories: Sequence[str], occurred_at: Sequence[DateLike] | pd.Series
) -> bool:
    """Whether offending moved to knife or gun violence after earlier incidents that were neither.

    True when the person's first ``knife_enabled`` or ``gun_enabled`` incident happened
    strictly after at least one other incident (which, being earlier than the first
    weapon incident, was neither). A person whose first incident was already a knife or
    gun incident, or who never had one, has not escalated.

    Examples
    --------
    >>> escalated_to_knife_or_gun(
    ...     ["other_violence", "knife_enabled"], ["2024-01-01", "2024-06-01"])
    True
    >>> escalated_to_knife_or_gun(
    ...     ["knife_enabled", "other_violence", "gun_enabled"],
    ...     ["2024-01-01", "2024-02-01", "2024-06-01"],
    ... )
    False
    """
    one = _one_person(
        category=pd.Series(list(categories), dtype=object), occurred_at=_times(occurred_at)
    )
    return bool(_escalations(one)["escalated_to_knife_or_gun"].iloc[0]) if len(one) else False


def escalation_profile(
    incidents: pd.DataFrame,
    involvements: pd.DataFrame,
    *,
    roles: Iterable[str] = PERPETRATOR_ROLES,
    start: DateLike | None = None,
    end: DateLike | None = None,
    harm_table: HarmTable | None = None,
) -> pd.DataFrame:
    """One row per offender with every measure of the continuum of violence.

    Parameters
    ----------
    incidents, involvements, roles, start, end, harm_table
        As in :func:`category_sequences`.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``person_id``: ``incidents``, ``first_at``, ``last_at``, ``sequence``,
        ``distinct_categories``, ``category_changes`` (successive incidents of different
        categories), ``diversity_index`` (:func:`diversity_index`), ``harm`` (total),
        ``harm_slope`` (:func:`harm_slope`, harm days per year),
        ``escalated_to_knife_or_gun`` (:func:`escalated_to_knife_or_gun`) and
        ``first_knife_or_gun_at`` (NaT if none). Sorted by person.

    Examples
    --------
    >>> incidents = pd.DataFrame({
    ...     "incident_id": ["I1", "I2", "I3"],
    ...     "occurred_at": ["2023-01-01", "2024-01-01", "2024-06-01"],
    ...     "offence": ["violence_without_injury", "possession_weapon", "possession_weapon"],
    ... })
    >>> involvements = pd.DataFrame({
    ...     "person_id": ["A", "A", "B"],
    ...     "incident_id": ["I1", "I2", "I3"],
    ...     "role": ["offender"] * 3,
    ... })
    >>> profile = escalation_profile(incidents, involvements)
    >>> columns = ["category_changes", "diversity_index", "escalated_to_knife_or_gun"]
    >>> profile[columns].to_numpy().tolist()
    [[1, 0.5, True], [0, 0.0, False]]

    References
    ----------
    .. [1] Blumstein, A., Cohen, J., Das, S., & Moitra, S. D. (1988). Specialization and
       seriousness during adult criminal careers. *Journal of Quantitative Criminology*,
       4(4), 303-345. doi:10.1007/BF01065341
    .. [2] Liu, J., Francis, B., & Soothill, K. (2011). A longitudinal study of escalation
       in crime seriousness. *Journal of Quantitative Criminology*, 27(2), 175-196.
       doi:10.1007/s10940-010-9102-x
    """
    events = person_incidents(
        incidents, involvements, roles=roles, start=start, end=end, harm_table=harm_table
    )
    by_person = events.groupby("person_id", sort=True)
    changed = events["category"].ne(by_person["category"].shift()) & by_person.cumcount().gt(0)
    profile = pd.DataFrame(
        {
            "incidents": by_person.size(),
            "first_at": by_person["occurred_at"].min(),
            "last_at": by_person["occurred_at"].max(),
            "sequence": by_person["category"].agg(tuple),
            "distinct_categories": by_person["category"].nunique(),
            "category_changes": changed.groupby(events["person_id"]).sum().astype("int64"),
            "diversity_index": _diversity(events),
            "harm": by_person["harm"].sum().astype(float),
            "harm_slope": _harm_slopes(events),
        }
    )
    return profile.join(_escalations(events))


def _times(occurred_at: Sequence[DateLike] | pd.Series) -> pd.Series:
    return pd.to_datetime(pd.Series(list(occurred_at), dtype=object), format="ISO8601")


def _one_person(**columns: pd.Series) -> pd.DataFrame:
    """The columns as the events of a single person (their lengths must agree)."""
    lengths = {name: len(values) for name, values in columns.items()}
    if len(set(lengths.values())) > 1:
        raise AnalysisError(f"the sequences differ in length: {lengths}")
    frame = pd.DataFrame({name: values.to_numpy() for name, values in columns.items()})
    return frame.assign(person_id=0)


def _diversity(events: pd.DataFrame) -> pd.Series:
    """``1 - Σ p²`` over each person's category shares."""
    shares = events.groupby("person_id")["category"].value_counts(normalize=True)
    return (1.0 - (shares**2).groupby(level="person_id").sum()).rename("diversity_index")


def _harm_slopes(events: pd.DataFrame) -> pd.Series:
    """Each person's least-squares slope of harm on time in years (NaN without a spread)."""
    person = events["person_id"]
    when = events["occurred_at"]
    years = (when - when.groupby(person).transform("min")).dt.total_seconds() / (_DAY * _YEAR_DAYS)
    t = years - years.groupby(person).transform("mean")
    h = events["harm"] - events["harm"].groupby(person).transform("mean")
    spread = (t**2).groupby(person).sum()
    return ((t * h).groupby(person).sum() / spread.where(spread > 0)).rename("harm_slope")


def _escalations(events: pd.DataFrame) -> pd.DataFrame:
    """Each person's first knife or gun incident and whether anything came strictly before."""
    person = events["person_id"]
    weapon_at = events["occurred_at"].where(events["category"].isin(WEAPON_CATEGORIES))
    first_weapon = weapon_at.groupby(person).min()
    first_any = events["occurred_at"].groupby(person).min()
    return pd.DataFrame(
        {
            "escalated_to_knife_or_gun": (first_weapon > first_any).astype(bool),
            "first_knife_or_gun_at": first_weapon,
        }
    )
