"""High-impact neighbourhoods: the wards that carry the force's harm, period after period.

A ward's impact is its share of the harm of every incident in the force (Cambridge Crime
Harm Index days), not its count: a few wards hold most of the harm, and the ones that stay in
the top decile period after period are where proactive tasking pays (Sherman, Gartin &
Buerger's "hot spots", weighted by harm as in Sherman, Neyroud & Neyroud).

No population table is part of the installed reference data, so harm per 1,000 residents is
not given: rates would need ward populations (ONS mid-year estimates) that graphvc does not
hold.
"""

from __future__ import annotations

import math

import pandas as pd

from graphvc.analysis.events import DateLike, incident_harm, rolling_window

__all__ = ["TOP_SHARE", "high_impact_wards"]

#: The top decile of wards by harm.
TOP_SHARE = 0.10


def high_impact_wards(
    incidents: pd.DataFrame,
    locations: pd.DataFrame,
    *,
    as_of: DateLike,
    period_days: int = 91,
    periods: int = 4,
    top_share: float = TOP_SHARE,
) -> pd.DataFrame:
    """Wards ranked by their share of the force's harm in the latest period, with how often
    they were in the top decile over the last ``periods`` periods.

    Parameters
    ----------
    incidents, locations : pandas.DataFrame
        The contract's tables.
    as_of : date-like
        The end (excluded) of the latest period.
    period_days, periods : int
        ``periods`` back-to-back periods of ``period_days`` days end at ``as_of`` (four
        quarters by default).
    top_share : float
        The top ``ceil(top_share × wards)`` wards by harm in a period are its top decile
        (ties at the cut kept); the wards are all those of ``locations``.

    Returns
    -------
    pandas.DataFrame
        One row per ward with harm in the latest period, most harmful first: ``ward_code``,
        ``ward_name``, ``borough_code``, ``borough_name``, ``incidents``, ``harm``,
        ``harm_share`` (of all the force's harm in the period, incidents without a place
        included), ``rank``, ``top_decile`` (now), ``periods_in_top_decile`` (of the last
        ``periods``, this one included) and ``periods``.

    Examples
    --------
    >>> locations = pd.DataFrame({"location_id": ["L1", "L2"], "ward_code": ["W1", "W2"],
    ...     "ward_name": ["North", "South"], "borough_code": ["B1", "B1"],
    ...     "borough_name": ["Camden", "Camden"]})
    >>> incidents = pd.DataFrame({"incident_id": ["I1", "I2", "I3"],
    ...     "occurred_at": ["2024-12-01", "2024-12-02", "2024-08-01"],
    ...     "offence": ["personal_robbery", "violence_without_injury", "personal_robbery"],
    ...     "location_id": ["L1", "L2", "L1"]})
    >>> wards = high_impact_wards(incidents, locations, as_of="2025-01-01")
    >>> wards[["ward_code", "harm_share", "rank", "periods_in_top_decile"]].to_numpy().tolist()
    [['W1', 0.9733333333333334, 1, 2], ['W2', 0.02666666666666667, 2, 0]]

    References
    ----------
    .. [1] Sherman, L. W., Gartin, P. R., & Buerger, M. E. (1989). Hot spots of predatory
       crime: routine activities and the criminology of place. *Criminology*, 27(1), 27-56.
       doi:10.1111/j.1745-9125.1989.tb00862.x
    .. [2] Sherman, L., Neyroud, P. W., & Neyroud, E. (2016). The Cambridge Crime Harm
       Index. *Policing*, 10(3), 171-183. doi:10.1093/police/paw003
    """
    wards = locations.dropna(subset=["ward_code"]).drop_duplicates("ward_code")
    wards = wards.set_index("ward_code")[["ward_name", "borough_code", "borough_name"]]
    cut = max(math.ceil(top_share * len(wards)), 1)
    ward_of = locations.set_index("location_id")["ward_code"]
    end = pd.Timestamp(as_of)
    tables = []
    for back in range(periods):
        start, stop = rolling_window(end - pd.Timedelta(days=back * period_days), period_days)
        window = incident_harm(incidents, start=start, end=stop)
        window["ward_code"] = (
            window["location_id"].map(ward_of) if "location_id" in window else pd.NA
        )
        total = float(window["harm"].sum())
        table = (
            window.dropna(subset=["ward_code"])
            .groupby("ward_code")
            .agg(incidents=("incident_id", "size"), harm=("harm", "sum"))
        )
        table["harm_share"] = table["harm"] / total if total else 0.0
        table["rank"] = table["harm"].rank(method="min", ascending=False).astype("int64")
        table["top_decile"] = (table["rank"] <= cut) & (table["harm"] > 0)
        tables.append(table)
    latest = tables[0]
    stable = pd.concat([t["top_decile"] for t in tables], axis=1).fillna(False).sum(axis=1)
    latest = latest.join(wards, how="left")
    latest["periods_in_top_decile"] = stable.reindex(latest.index).fillna(0).astype("int64")
    latest["periods"] = periods
    latest = latest.rename_axis("ward_code").reset_index()
    latest = latest.sort_values(["rank", "ward_code"], kind="stable", ignore_index=True)
    columns = [
        "ward_code",
        "ward_name",
        "borough_code",
        "borough_name",
        "incidents",
        "harm",
        "harm_share",
        "rank",
        "top_decile",
        "periods_in_top_decile",
        "periods",
    ]
    return latest[columns]
