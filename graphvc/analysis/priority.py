"""Offender priority: Recency–Frequency–Gravity scores and their combination with network position.

UK integrated offender management (IOM) selects its cohort with a *Recency, Frequency,
Gravity* (RFG) score: how lately, how often and how seriously a person has offended — the
offender version of the Recency–Frequency–Monetary scoring of direct marketing (Bult &
Wansbeek, 1995). Forces each publish their own bands; graphvc uses one transparent,
continuous form of it, with gravity measured by the Cambridge Crime Harm Index (Sherman et
al., 2016), as in harm-based offender targeting (Liggins et al., 2019):

* recency score ``= 1 - recency_days / window_days`` (1 = offended just before ``as_of``,
  0 = at the start of the window);
* frequency score ``= frequency / max(frequency)`` over the scored people;
* gravity score ``= gravity / max(gravity)`` over the scored people (0 if all are 0);
* ``rfg = (w_r·recency_score + w_f·frequency_score + w_g·gravity_score) / (w_r + w_f + w_g)``,
  a number in [0, 1], and each weighted term is a column (``recency_part`` and so on) so
  that the score is the sum of its parts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from graphvc.analysis.events import DateLike, rolling_window
from graphvc.analysis.harm import harm_by
from graphvc.contract import PERPETRATOR_ROLES
from graphvc.errors import AnalysisError
from graphvc.harm_index import HarmTable

__all__ = ["offender_priority", "rfg_scores"]

_DAY = 86_400.0  # seconds


def rfg_scores(
    incidents: pd.DataFrame,
    involvements: pd.DataFrame,
    *,
    as_of: DateLike,
    window_days: float = 730,
    recency_weight: float = 1.0,
    frequency_weight: float = 1.0,
    gravity_weight: float = 1.0,
    roles: Iterable[str] = PERPETRATOR_ROLES,
    harm_table: HarmTable | None = None,
) -> pd.DataFrame:
    """Recency–Frequency–Gravity score of every person who offended in the window.

    Parameters
    ----------
    incidents, involvements : pandas.DataFrame
        Tables of the input contract.
    as_of : date-like
        The moment of scoring; the window is ``[as_of - window_days, as_of)``.
    window_days : float, default 730
        The look-back, two years by default (IOM cohorts commonly look back two years).
    recency_weight, frequency_weight, gravity_weight : float, default 1.0
        Weights ≥ 0 (not all 0) of the three scaled components; equal by default.
    roles : iterable of str, default ("offender", "suspect")
        The roles in an incident that count as offending.
    harm_table : HarmTable, optional
        As in :func:`graphvc.analysis.harm.incident_harm`.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``person_id``: ``rank`` (1 = highest; ties share the best rank), the
        raw components ``last_offence_at``,
        ``recency_days`` (days from the last offence to ``as_of``), ``frequency``
        (incidents) and ``gravity`` (total harm, days); the scaled ``recency_score``,
        ``frequency_score``, ``gravity_score`` (each in [0, 1]); the weighted
        ``recency_part``, ``frequency_part``, ``gravity_part``; and ``rfg`` (their sum).
        Sorted by rank, then person.

    Examples
    --------
    >>> incidents = pd.DataFrame({
    ...     "incident_id": ["I1", "I2", "I3"],
    ...     "occurred_at": ["2024-07-02", "2024-10-01", "2024-12-01"],
    ...     "offence": ["personal_robbery", "violence_without_injury", "violence_with_injury"],
    ... })
    >>> involvements = pd.DataFrame({
    ...     "person_id": ["A", "A", "B"],
    ...     "incident_id": ["I1", "I2", "I3"],
    ...     "role": ["offender"] * 3,
    ... })
    >>> scores = rfg_scores(incidents, involvements, as_of="2025-01-01", window_days=365)
    >>> scores["recency_days"].to_dict(), scores["frequency"].to_dict()
    ({'A': 92.0, 'B': 31.0}, {'A': 2, 'B': 1})
    >>> scores["gravity_score"].round(3).to_dict()
    {'A': 1.0, 'B': 0.973}
    >>> scores[["rfg", "rank"]].round(3).to_numpy().tolist()
    [[0.916, 1.0], [0.796, 2.0]]

    References
    ----------
    .. [1] Bult, J. R., & Wansbeek, T. (1995). Optimal selection for direct mail.
       *Marketing Science*, 14(4), 378-394. doi:10.1287/mksc.14.4.378
    .. [2] Sherman, L., Neyroud, P. W., & Neyroud, E. (2016). The Cambridge Crime Harm
       Index: measuring total harm from crime based on sentencing guidelines. *Policing:
       A Journal of Policy and Practice*, 10(3), 171-183. doi:10.1093/police/paw003
    .. [3] Liggins, A., Ratcliffe, J. H., & Bland, M. (2019). Targeting the most harmful
       offenders for an English police agency: continuity and change of membership in the
       "felonious few". *Cambridge Journal of Evidence-Based Policing*, 3.
       doi:10.1007/s41887-019-00039-7
    """
    weights = _weights(
        {"recency": recency_weight, "frequency": frequency_weight, "gravity": gravity_weight}
    )
    start, end = rolling_window(as_of, window_days)
    offending = harm_by(
        incidents,
        involvements,
        by="offender",
        start=start,
        end=end,
        perpetrator_roles=roles,
        harm_table=harm_table,
    ).sort_index()
    scores = pd.DataFrame(
        {
            "last_offence_at": offending["last_at"],
            "recency_days": (end - offending["last_at"]).dt.total_seconds() / _DAY,
            "frequency": offending["incidents"],
            "gravity": offending["harm"],
        }
    )
    scores["recency_score"] = 1 - scores["recency_days"] / window_days
    scores["frequency_score"] = _share_of_max(scores["frequency"])
    scores["gravity_score"] = _share_of_max(scores["gravity"])
    for part, weight in weights.items():
        scores[f"{part}_part"] = weight * scores[f"{part}_score"]
    scores["rfg"] = scores[[f"{part}_part" for part in weights]].sum(axis=1)
    return _ranked(scores, "rfg")


def offender_priority(
    rfg: pd.DataFrame,
    network_scores: pd.DataFrame,
    *,
    weights: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """One ranked list from RFG scores and network position.

    Each network column is scaled to [0, 1] by its largest value (so the most central
    person scores 1, as the RFG components are scaled); then
    ``priority = Σ_c w_c · score_c / Σ_c w_c`` over ``rfg`` and the network columns, and
    each weighted term is a ``<column>_part`` column, so ``priority`` is their sum.

    Parameters
    ----------
    rfg : pandas.DataFrame
        From :func:`rfg_scores` (at least the ``rfg`` column), indexed by ``person_id``.
    network_scores : pandas.DataFrame
        Numeric measures of network position (e.g. ``betweenness``, ``degree``) indexed
        by ``person_id``.
    weights : mapping, optional
        Weight ≥ 0 per column: ``"rfg"`` and any columns of ``network_scores``; columns
        not named are left out. Default: 1 for ``rfg`` and for every network column.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``person_id`` (everyone in either table; a missing score counts as 0):
        ``rank`` (1 = highest; ties share the best rank), ``priority``, one
        ``<column>_part`` per weighted column, the inputs ``rfg`` and ``<column>`` with
        ``<column>_score`` (scaled), then every other column of ``rfg`` (its ``rank``
        renamed ``rfg_rank``). Sorted by rank, then person.

    Raises
    ------
    AnalysisError
        If a weight names an unknown column or is negative, all weights are 0, ``rfg`` has
        no ``rfg`` column, or a network column is not numeric or clashes with an output
        column.

    Examples
    --------
    >>> rfg = pd.DataFrame({"rfg": [0.9, 0.5]}, index=pd.Index(["A", "B"], name="person_id"))
    >>> network = pd.DataFrame({"betweenness": [0.0, 0.4]}, index=["A", "B"])
    >>> ranked = offender_priority(rfg, network, weights={"rfg": 1, "betweenness": 1})
    >>> ranked[["rank", "priority", "rfg_part", "betweenness_part"]].to_numpy().tolist()
    [[1.0, 0.75, 0.25, 0.5], [2.0, 0.45, 0.45, 0.0]]
    >>> ranked.index.tolist()
    ['B', 'A']

    References
    ----------
    .. [1] Bult, J. R., & Wansbeek, T. (1995). Optimal selection for direct mail.
       *Marketing Science*, 14(4), 378-394. doi:10.1287/mksc.14.4.378
    .. [2] Freeman, L. C. (1978). Centrality in social networks: conceptual clarification.
       *Social Networks*, 1(3), 215-239. doi:10.1016/0378-8733(78)90021-7
    """
    if "rfg" not in rfg.columns:
        raise AnalysisError("the RFG table has no column 'rfg'; make it with rfg_scores()")
    for column in network_scores.columns:
        if not pd.api.types.is_numeric_dtype(network_scores[column]):
            raise AnalysisError(f"network score column {column!r} is not numeric")
        if column == "rfg" or column in rfg.columns or column in ("priority", "rank"):
            raise AnalysisError(f"network score column {column!r} clashes with an RFG column")
    if weights is None:
        weights = {"rfg": 1.0, **dict.fromkeys(network_scores.columns, 1.0)}
    for column in weights:
        if column != "rfg" and column not in network_scores.columns:
            raise AnalysisError(
                f"weight for {column!r}: no such column; the columns are 'rfg', "
                + ", ".join(repr(c) for c in network_scores.columns)
            )
    shares = _weights(weights)
    people = rfg.index.union(network_scores.index)
    inputs = pd.DataFrame(index=people)
    inputs["rfg"] = rfg["rfg"].reindex(people).fillna(0.0)
    parts = pd.DataFrame(index=people)
    parts["rfg_part"] = shares.get("rfg", 0.0) * inputs["rfg"]
    for column in network_scores.columns:
        if column not in shares:
            continue
        inputs[column] = network_scores[column].reindex(people).fillna(0.0)
        inputs[f"{column}_score"] = _share_of_max(inputs[column])
        parts[f"{column}_part"] = shares[column] * inputs[f"{column}_score"]
    details = rfg.drop(columns="rfg").rename(columns={"rank": "rfg_rank"}).reindex(people)
    result = pd.concat([parts.sum(axis=1).rename("priority"), parts, inputs, details], axis=1)
    result.index.name = rfg.index.name or "person_id"
    return _ranked(result, "priority")


def _weights(weights: Mapping[str, float]) -> dict[str, float]:
    """Weights divided by their sum, after checking they are ≥ 0 and not all 0."""
    for name, weight in weights.items():
        if not weight >= 0:
            raise AnalysisError(f"weight for {name!r} is {weight!r}; weights must be ≥ 0")
    total = sum(weights.values())
    if not total > 0:
        raise AnalysisError(f"the weights {dict(weights)!r} are all 0")
    return {name: weight / total for name, weight in weights.items()}


def _share_of_max(values: pd.Series) -> pd.Series:
    """``values`` divided by their largest (0 where the largest is not positive)."""
    largest = values.max() if len(values) else 0
    return values / largest if largest > 0 else values * 0.0


def _ranked(table: pd.DataFrame, score: str) -> pd.DataFrame:
    """``table`` with ``rank`` first (1 = highest ``score``), sorted by rank then index."""
    table = table.sort_index()
    rank = table[score].rank(method="min", ascending=False).astype("int64")
    return table.assign(rank=rank)[["rank", *table.columns]].sort_values(["rank"], kind="stable")
