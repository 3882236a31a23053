"""The people lists of a borough's tasking pack: its victims due for contact and its MARAC
candidates (:mod:`graphvc.reports.tasking` writes the pack).

A person belongs to a borough's list when an incident of theirs in the window happened there.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from graphvc.analysis.events import is_in, person_incidents, rolling_window
from graphvc.runs import AnalysisResult

__all__ = [
    "CONTACT_DAYS",
    "MARAC_INCIDENTS",
    "incident_boroughs",
    "marac_candidates",
    "people_in",
    "victims_due",
]

#: A repeat victim victimised within this many days is due for contact: the risk of a repeat
#: is highest in the weeks after an incident (Polvi et al. 1991).
CONTACT_DAYS = 28
#: A domestic-abuse victim of this many incidents in 12 months meets SafeLives' "potential
#: escalation" criterion for a MARAC referral.
MARAC_INCIDENTS = 3


def incident_boroughs(tables: Mapping[str, pd.DataFrame]) -> pd.Series:
    """Each incident's borough code (by incident id)."""
    incidents, locations = tables["incidents"], tables["locations"]
    borough_of = locations.set_index("location_id")["borough_code"]
    return pd.Series(
        incidents["location_id"].map(borough_of).to_numpy(), index=incidents["incident_id"]
    )


def people_in(events: pd.DataFrame, boroughs: pd.Series, borough: str) -> pd.Index:
    there = events[events["incident_id"].map(boroughs) == borough]
    people: pd.Index = pd.Index(there["person_id"].astype("string").unique())
    return people


def victims_due(
    result: AnalysisResult, borough: str, *, contact_days: int = CONTACT_DAYS
) -> pd.DataFrame:
    """Repeat victims (two or more in the year) and victims of a domestic-abuse repeat pair,
    victimised in ``borough`` at least once: those victimised in the last ``contact_days``
    days first.

    Columns: ``person_id``, ``victimisations`` and ``domestic_incidents`` (of the year,
    wherever they happened),
    ``harm``, ``last_at``, ``days_since_last``, ``due_for_contact``.

    References
    ----------
    .. [1] Farrell, G., & Pease, K. (1993). *Once bitten, twice bitten: repeat
       victimisation and its implications for crime prevention*. Home Office Police
       Research Group, Crime Prevention Unit Paper 46.
    .. [2] Polvi, N., Looman, T., Humphries, C., & Pease, K. (1991). The time course of repeat
       burglary victimization. *British Journal of Criminology*, 31(4), 411-414.
       doi:10.1093/oxfordjournals.bjc.a048138
    """
    parameters = result.parameters
    start, end = rolling_window(parameters.moment, parameters.repeat_window_days)
    tables = result.tables
    victimised = person_incidents(
        tables["incidents"], tables["involvements"], roles=("victim",), start=start, end=end
    )
    victimised["person_id"] = victimised["person_id"].astype("string")
    here = victimised["incident_id"].map(incident_boroughs(tables)) == borough
    domestic_people = set(result.domestic_repeats["victim_id"].astype(str))
    wanted = set(result.repeat_victims.index.astype(str)) | domestic_people
    wanted &= set(victimised.loc[here, "person_id"])
    mine = victimised[is_in(victimised["person_id"], wanted)]
    columns = [
        "person_id",
        "victimisations",
        "domestic_incidents",
        "harm",
        "last_at",
        "days_since_last",
        "due_for_contact",
    ]
    if mine.empty:
        return pd.DataFrame(columns=columns)
    table = mine.groupby("person_id").agg(
        victimisations=("incident_id", "nunique"),
        domestic_incidents=("domestic", "sum"),
        harm=("harm", "sum"),
        last_at=("occurred_at", "max"),
    )
    table["domestic_incidents"] = table["domestic_incidents"].astype("int64")
    table["days_since_last"] = (parameters.moment - table["last_at"]).dt.days.astype("int64")
    table["due_for_contact"] = table["days_since_last"] < contact_days
    table = table.reset_index().sort_values(
        ["due_for_contact", "last_at", "person_id"], ascending=[False, False, True], kind="stable"
    )
    return table[columns].reset_index(drop=True)


def marac_candidates(
    result: AnalysisResult, borough: str, *, threshold: int = MARAC_INCIDENTS
) -> pd.DataFrame:
    """Domestic-abuse victims in ``borough`` to consider for a MARAC: ``threshold`` or more
    domestic-abuse incidents as a victim in the 12 months to the as-of date, or a high-risk
    assessment (``risk_assessments``, when loaded) in that time.

    Columns: ``person_id``, ``domestic_incidents``, ``last_at``, ``high_risk_assessment``
    (its tool and date, or empty) and ``reason``.

    References
    ----------
    .. [1] SafeLives (2014). *Frequently asked questions: Multi-Agency Risk Assessment
       Conference (MARAC)*: referral on high risk (14+ of the DASH risk checklist or
       professional judgement) or on potential escalation (three or more police callouts
       in 12 months).
    """
    moment = result.parameters.moment
    start, end = rolling_window(moment, 365)
    tables = result.tables
    victimised = person_incidents(
        tables["incidents"], tables["involvements"], roles=("victim",), start=start, end=end
    )
    victimised = victimised[victimised["incident_id"].map(incident_boroughs(tables)) == borough]
    domestic = victimised[victimised["domestic"]]
    counts = domestic.groupby(domestic["person_id"].astype("string")).agg(
        domestic_incidents=("incident_id", "nunique"), last_at=("occurred_at", "max")
    )
    high = pd.Series(dtype="string")
    assessments = tables.get("risk_assessments")
    if assessments is not None and len(assessments):
        recent = assessments[
            (assessments["level"] == "high")
            & (pd.to_datetime(assessments["assessed_at"]) >= start)
            & (pd.to_datetime(assessments["assessed_at"]) < end)
            & (assessments["incident_id"].map(incident_boroughs(tables)) == borough)
        ].sort_values(["assessed_at", "tool"], kind="stable")
        # Each person's latest assessment, column-wise: a per-group apply returns a frame,
        # not a series, when no assessment qualifies (a borough without one, e.g. the City).
        latest = recent.drop_duplicates("person_id", keep="last")
        high = pd.Series(
            (
                latest["tool"].astype(str) + " " + latest["assessed_at"].astype(str).str[:10]
            ).to_numpy(),
            index=latest["person_id"].astype("string"),
            dtype="string",
        )
    table = counts.join(high.rename("high_risk_assessment"), how="outer")
    table["domestic_incidents"] = table["domestic_incidents"].fillna(0).astype("int64")
    table = table[
        (table["domestic_incidents"] >= threshold) | table["high_risk_assessment"].notna()
    ]
    many = table["domestic_incidents"] >= threshold
    by_count = table["domestic_incidents"].astype(str) + " domestic-abuse incidents in 12 months"
    by_assessment = "high-risk assessment (" + table["high_risk_assessment"].astype(str) + ")"
    assessed = table["high_risk_assessment"].notna()
    table["reason"] = (
        by_count.where(many, "")
        + pd.Series("; ", index=table.index).where(many & assessed, "")
        + by_assessment.where(assessed, "")
    )
    table = table.rename_axis("person_id").reset_index()
    table = table.sort_values(
        ["domestic_incidents", "person_id"], ascending=[False, True], kind="stable"
    )
    columns = ["person_id", "domestic_incidents", "last_at", "high_risk_assessment", "reason"]
    return table[columns].reset_index(drop=True)
