"""Proportionality: who is on a ranked list, beside who was eligible for it.

A priority list drawn from police data can over-represent groups: the over-representation
of young Black men on the Metropolitan Police's Gangs Violence Matrix drew sustained
criticism (Williams & Clarke, 2016; Amnesty International, 2018). Monitoring compares the
make-up of the list with the make-up of the population it was drawn from, as a
disproportionality ratio: list share / population share. This equals the group's rate of
selection divided by the whole population's, a relative rate index with everyone as the
reference group (the Lammy Review, 2017, compares groups by relative rate indices).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable

import numpy as np
import pandas as pd

from graphvc.contract import DEMOGRAPHICS, column
from graphvc.errors import AnalysisError, InputError

__all__ = ["ATTRIBUTE_VALUES", "proportionality"]

#: The values of each monitored attribute (the contract's demographic columns), in report
#: order.
ATTRIBUTE_VALUES: dict[str, tuple[str, ...]] = {
    name: column("persons", name).allowed for name in DEMOGRAPHICS
}


def proportionality(
    person_ids: Iterable[Hashable],
    persons: pd.DataFrame,
    *,
    population: Iterable[Hashable] | None = None,
    attributes: Iterable[str] = DEMOGRAPHICS,
) -> pd.DataFrame:
    """The make-up of a list of people beside the make-up of the population it came from.

    Parameters
    ----------
    person_ids : iterable
        The people on the list (e.g. the top of
        :func:`graphvc.analysis.priority.offender_priority`), each once.
    persons : pandas.DataFrame
        The persons table (``person_id`` and the attribute columns); a missing value or
        column counts as the contract's default (:func:`graphvc.contract.column`).
    population : iterable, optional
        The people the list was drawn from (e.g. everyone scored); default: every person
        in ``persons``. The list must be part of it.
    attributes : iterable of str, default :data:`graphvc.contract.DEMOGRAPHICS`
        The attributes to compare, from :data:`ATTRIBUTE_VALUES`.

    Returns
    -------
    pandas.DataFrame
        One row per attribute value present in the population: ``attribute``, ``value``,
        ``list_count``, ``list_share``, ``population_count``, ``population_share`` and
        ``ratio`` (list share / population share: 1 is proportionate, 2 twice the
        group's share of the population). Shares are NaN for an empty list.

    Raises
    ------
    AnalysisError
        If the list repeats a person or names one who is not in ``persons`` or not in the
        population, or ``persons`` has no ``person_id`` column.
    InputError
        If ``persons`` repeats a ``person_id``.

    Examples
    --------
    >>> persons = pd.DataFrame({
    ...     "person_id": ["A", "B", "C", "D"],
    ...     "sex": ["M", "M", "F", "F"],
    ... })
    >>> table = proportionality(["A", "B"], persons, attributes=["sex"])
    >>> table[["value", "list_share", "population_share", "ratio"]].to_numpy().tolist()
    [['F', 0.0, 0.5, 0.0], ['M', 1.0, 0.5, 2.0]]

    References
    ----------
    .. [1] Lammy, D. (2017). *The Lammy Review: an independent review into the treatment
       of, and outcomes for, Black, Asian and Minority Ethnic individuals in the Criminal
       Justice System*. London: Ministry of Justice.
    .. [2] Amnesty International (2018). *Trapped in the Matrix: secrecy, stigma, and bias
       in the Met's Gangs Database*. London: Amnesty International UK.
    .. [3] Williams, P., & Clarke, B. (2016). *Dangerous associations: joint enterprise,
       gangs and racism*. London: Centre for Crime and Justice Studies.
    """
    attributes = tuple(attributes)
    for attribute in attributes:
        if attribute not in ATTRIBUTE_VALUES:
            raise AnalysisError(
                f"attribute {attribute!r} is not one of {', '.join(ATTRIBUTE_VALUES)}"
            )
    if "person_id" not in persons.columns:
        raise AnalysisError("the persons table has no column 'person_id'")
    # Membership through Python sets: pandas' own on string indexes takes seconds at a
    # million people.
    people = persons.set_index("person_id")
    ids = people.index.to_numpy(dtype=object)
    everyone = set(ids)
    if len(everyone) < len(ids):
        repeated = people.index[people.index.duplicated()]
        raise InputError(f"persons: person_id {repeated[0]!r} appears twice")
    listed = pd.Index(list(person_ids))
    if listed.has_duplicates:
        raise AnalysisError(f"the list names person {listed[listed.duplicated()][0]!r} twice")
    if population is None:
        pool, in_pool = everyone, None
    else:  # an Index as it is: listing a large one element by element is slow
        given = population if isinstance(population, pd.Index) else pd.Index(list(population))
        pool = set(given.to_numpy(dtype=object))
        in_pool = np.fromiter((i in pool for i in ids), dtype=bool, count=len(ids))
    checks = (("list", listed, everyone), ("population", pool, everyone), ("list", listed, pool))
    for name, named, where in checks:
        missing = sorted(set(named) - where, key=str)
        if missing:
            place = "the persons table" if where is everyone else "the population"
            raise AnalysisError(f"the {name} names person {missing[0]!r}, who is not in {place}")

    chosen = set(listed)
    on_list = np.fromiter((i in chosen for i in ids), dtype=bool, count=len(ids))
    rows = []
    for attribute in attributes:
        known = ATTRIBUTE_VALUES[attribute]
        default = column("persons", attribute).default
        values = (
            people[attribute].fillna(default)
            if attribute in people
            else pd.Series(default, index=people.index)
        )
        listed_counts = values[on_list].value_counts()
        pool_counts = (values if in_pool is None else values[in_pool]).value_counts()
        extra = sorted(set(pool_counts.index) - set(known), key=str)
        for value in [*known, *extra]:
            if value not in pool_counts.index:
                continue
            list_count = int(listed_counts.get(value, 0))
            pool_count = int(pool_counts[value])
            list_share = list_count / len(listed) if len(listed) else float("nan")
            pool_share = pool_count / len(pool)
            rows.append(
                {
                    "attribute": attribute,
                    "value": value,
                    "list_count": list_count,
                    "list_share": list_share,
                    "population_count": pool_count,
                    "population_share": pool_share,
                    "ratio": list_share / pool_share,
                }
            )
    columns = ["attribute", "value", "list_count", "list_share"]
    return pd.DataFrame(rows, columns=[*columns, "population_count", "population_share", "ratio"])
