"""A person's profile: where they rank and why, in words built from a stored run's own
numbers, and beneath the words the tables behind them (incidents, co-offenders and links,
victims, risk assessments, places, list history, lookups).

:mod:`~graphvc.profile.facts` gathers the facts (a driver in, never made here),
:mod:`~graphvc.profile.words` builds the words, :mod:`~graphvc.profile.history` reads the
list history from the reports and the lookups from the audit trail, and
:mod:`~graphvc.profile.tables` lays the tables out for the page, the command line and JSON.
"""

from graphvc.profile.facts import PROFILE_RUN_COLUMNS, Profile, person_profile
from graphvc.profile.history import list_history, lookups
from graphvc.profile.tables import profile_record, profile_tables, pseudonymised
from graphvc.profile.words import profile_words

__all__ = [
    "PROFILE_RUN_COLUMNS",
    "Profile",
    "list_history",
    "lookups",
    "person_profile",
    "profile_record",
    "profile_tables",
    "profile_words",
    "pseudonymised",
]
