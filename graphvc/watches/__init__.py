"""Watches: saved queries that re-run on a schedule and raise an alert on each new match.

The modules, by concern:

- :mod:`~graphvc.watches.model`: :class:`Watch` and :class:`Alert`, their value lists, and the
  rule naming a result row (its identity) by which a run tells a new match from an old one;
- :mod:`~graphvc.watches.store`: saving, listing, reading and removing watches, listing and
  deciding alerts (checked here, written by :mod:`~graphvc.watches.writes`);
- :mod:`~graphvc.watches.writes`: every write of ``Watch`` and ``Alert`` nodes, the only one;
- :mod:`~graphvc.watches.run`: the runs, read-only through the query library's runner;
- :mod:`~graphvc.watches.delivery`: new alerts sent by e-mail or webhook, when settings allow.
"""

from graphvc.watches.model import (
    DECISIONS,
    EXPLORER,
    SCHEDULES,
    STATUSES,
    Alert,
    Watch,
    WatchError,
    result_hash,
    row_identity,
)
from graphvc.watches.run import run_watches
from graphvc.watches.store import (
    add_watch,
    alert_history,
    check_decision,
    check_watch,
    decide_alert,
    get_alert,
    get_watch,
    list_alerts,
    list_watches,
    remove_watch,
)

__all__ = [
    "DECISIONS",
    "EXPLORER",
    "SCHEDULES",
    "STATUSES",
    "Alert",
    "Watch",
    "WatchError",
    "add_watch",
    "alert_history",
    "check_decision",
    "check_watch",
    "decide_alert",
    "get_alert",
    "get_watch",
    "list_alerts",
    "list_watches",
    "remove_watch",
    "result_hash",
    "row_identity",
    "run_watches",
]
