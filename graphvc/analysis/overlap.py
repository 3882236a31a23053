"""The victim–offender overlap, classified by the balance of harm suffered and harm caused.

Many people who offend are also victimised (Jennings, Piquero & Reingle, 2012). Police
studies with crime harm indices set the victim-offenders — people who are both — apart
from absolute victims and absolute offenders (Sandall et al., 2018), and split them by the
ratio of the harm they suffered to the harm they caused, with a 3.5 : 1 cut (the Peel
Regional Police study of 2020), giving five classes.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from graphvc.analysis.events import DateLike, is_in, person_incidents, rolling_window
from graphvc.analysis.harm import harm_by
from graphvc.contract import PERPETRATOR_ROLES
from graphvc.errors import AnalysisError
from graphvc.harm_index import HarmTable

__all__ = ["OVERLAP_CLASSES", "absolute_victims", "victim_offender_overlap"]

#: The five classes, from only victimised to only offending.
OVERLAP_CLASSES: tuple[str, ...] = (
    "absolute_victim",
    "predominant_victim",
    "balanced",
    "predominant_offender",
    "absolute_offender",
)


def absolute_victims(
    incidents: pd.DataFrame, involvements: pd.DataFrame, *, end: DateLike | None = None
) -> pd.Index:
    """The people recorded as victims and never as offenders or suspects before ``end``
    (all history): absolute victims over their whole record, in sorted order.

    A priority list of dangerous people leaves them out whatever their ties: a victim is
    never ranked as dangerous for being one (the ICO's 2018 enforcement notice on the
    Metropolitan Police's Gangs Matrix found victims treated like offenders).

    Examples
    --------
    >>> incidents = pd.DataFrame({"incident_id": ["I1", "I2"],
    ...     "occurred_at": ["2024-01-05", "2024-06-01"], "offence": ["personal_robbery"] * 2})
    >>> involvements = pd.DataFrame({"person_id": ["A", "V", "W", "V", "W"],
    ...     "incident_id": ["I1", "I1", "I1", "I2", "I2"],
    ...     "role": ["offender", "victim", "victim", "witness", "suspect"]})
    >>> absolute_victims(incidents, involvements).tolist()
    ['V']
    >>> absolute_victims(incidents, involvements, end="2024-03-01").tolist()
    ['V', 'W']
    """
    victims = person_incidents(incidents, involvements, roles=("victim",), end=end)
    offenders = person_incidents(incidents, involvements, roles=PERPETRATOR_ROLES, end=end)
    never = ~is_in(victims["person_id"], offenders["person_id"])
    found: pd.Index = pd.Index(sorted(victims.loc[never, "person_id"].unique()), name="person_id")
    return found


def victim_offender_overlap(
    incidents: pd.DataFrame,
    involvements: pd.DataFrame,
    *,
    as_of: DateLike,
    window_days: float = 730,
    cut: float = 3.5,
    perpetrator_roles: Iterable[str] = PERPETRATOR_ROLES,
    harm_table: HarmTable | None = None,
) -> pd.DataFrame:
    """Harm suffered and harm caused by every person, and their overlap class.

    Over the window ``[as_of - window_days, as_of)``, *harm suffered* is the total harm of
    the incidents in which the person was a victim, and *harm caused* the total harm of
    those in which they were a perpetrator (any of ``perpetrator_roles``). Each person
    falls in exactly one class:

    * ``absolute_victim`` — victim in at least one incident, perpetrator in none;
    * ``absolute_offender`` — perpetrator in at least one, victim in none;
    * and for a person who was both (a victim-offender):

      * ``predominant_victim`` — ``suffered / caused >= cut`` (so exactly ``cut`` is
        predominant victim);
      * ``predominant_offender`` — ``caused / suffered >= cut`` (exactly ``cut``
        included);
      * ``balanced`` — neither.

    The absolute classes rest on *involvement*, not on harm, so a victim of an incident
    whose harm is 0 is still an absolute victim. Zero harm on one side of a
    victim-offender makes the ratio infinite: harm suffered > 0 with harm caused 0 is
    predominant victim, and the reverse predominant offender. A victim-offender with no
    harm on either side (0 / 0) is ``balanced``.

    Parameters
    ----------
    incidents, involvements : pandas.DataFrame
        Tables of the input contract.
    as_of : date-like
        The end of the window, excluded.
    window_days : float, default 730
        The length of the window (the two-year follow-up of the Peel study).
    cut : float, default 3.5
        The harm ratio that makes a victim-offender predominantly one or the other; must
        be greater than 1 so that the two cannot both hold.
    perpetrator_roles : iterable of str, default ("offender", "suspect")
        The roles that make a person a perpetrator.
    harm_table : HarmTable, optional
        As in :func:`graphvc.analysis.harm.incident_harm`.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``person_id``: ``victimisations``, ``offences`` (incidents in each
        role), ``harm_suffered``, ``harm_caused``, ``ratio`` (harm suffered / harm caused:
        ``inf`` when only the caused side is 0, NaN for 0 / 0) and ``overlap_class`` (an
        ordered categorical of :data:`OVERLAP_CLASSES`). Sorted by class, then total harm
        (descending), then person.

    Examples
    --------
    >>> incidents = pd.DataFrame({
    ...     "incident_id": ["I1", "I2", "I3"],
    ...     "occurred_at": ["2024-01-10", "2024-02-10", "2024-03-10"],
    ...     "harm": [700, 200, 10],
    ...     "category": ["knife_enabled", "other_violence", "other_violence"],
    ... })
    >>> involvements = pd.DataFrame({
    ...     "person_id": ["A", "B", "A", "B", "C", "B"],
    ...     "incident_id": ["I1", "I1", "I2", "I2", "I3", "I3"],
    ...     "role": ["victim", "offender", "offender", "victim", "victim", "offender"],
    ... })
    >>> overlap = victim_offender_overlap(incidents, involvements, as_of="2025-01-01")
    >>> overlap[["harm_suffered", "harm_caused", "ratio"]].to_dict("index")["A"]
    {'harm_suffered': 700.0, 'harm_caused': 200.0, 'ratio': 3.5}
    >>> overlap["overlap_class"].astype(str).to_dict()
    {'C': 'absolute_victim', 'A': 'predominant_victim', 'B': 'predominant_offender'}

    References
    ----------
    .. [1] Jennings, W. G., Piquero, A. R., & Reingle, J. M. (2012). On the overlap between
       victimization and offending: a review of the literature. *Aggression and Violent
       Behavior*, 17(1), 16-26. doi:10.1016/j.avb.2011.09.003
    .. [2] Sandall et al. (2018), on victims, offenders and victim-offenders in
       Leicestershire scored with the Cambridge Crime Harm Index. *Cambridge Journal of
       Evidence-Based Policing*, 2. doi:10.1007/s41887-018-0027-1
    .. [3] Victim–offender overlap in violent crime: targeting crime harm in a Canadian
       suburb (2020). *Cambridge Journal of Evidence-Based Policing*, 4.
       doi:10.1007/s41887-020-00056-x
    """
    if not cut > 1:
        raise AnalysisError(f"cut={cut!r} must be greater than 1")
    start, end = rolling_window(as_of, window_days)
    roles = tuple(perpetrator_roles)
    victim, offender = (
        harm_by(
            incidents,
            involvements,
            by=by,
            start=start,
            end=end,
            perpetrator_roles=roles,
            harm_table=harm_table,
        )
        for by in ("victim", "offender")
    )
    people = victim.index.union(offender.index)
    table = pd.DataFrame(
        {
            "victimisations": victim["incidents"].reindex(people, fill_value=0),
            "offences": offender["incidents"].reindex(people, fill_value=0),
            "harm_suffered": victim["harm"].reindex(people, fill_value=0.0),
            "harm_caused": offender["harm"].reindex(people, fill_value=0.0),
        },
        index=people,
    )
    suffered, caused = table["harm_suffered"].to_numpy(), table["harm_caused"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        table["ratio"] = suffered / caused
    both_zero = (suffered == 0) & (caused == 0)
    label = np.select(
        [
            table["offences"].to_numpy() == 0,
            table["victimisations"].to_numpy() == 0,
            both_zero,
            suffered >= cut * caused,
            caused >= cut * suffered,
        ],
        [
            "absolute_victim",
            "absolute_offender",
            "balanced",
            "predominant_victim",
            "predominant_offender",
        ],
        default="balanced",
    )
    table["overlap_class"] = pd.Categorical(label, categories=OVERLAP_CLASSES, ordered=True)
    table.index.name = "person_id"
    total = table["harm_suffered"] + table["harm_caused"]
    order = np.lexsort(
        (table.index.to_numpy(), -total.to_numpy(), table["overlap_class"].cat.codes)
    )
    return table.iloc[order]
