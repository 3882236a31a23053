"""Scheduled reports, written as dated folders for cron or a systemd timer."""

from graphvc.reports.folders import complete_reports, list_reports, read_manifest
from graphvc.reports.pseudonyms import pseudonym
from graphvc.reports.weekly_centrality import build_report, check_options, write_report

__all__ = [
    "build_report",
    "check_options",
    "complete_reports",
    "list_reports",
    "pseudonym",
    "read_manifest",
    "write_report",
]
