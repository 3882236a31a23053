"""Scheduled reports, written as dated folders for cron or a systemd timer."""

from graphvc.reports.centrality import build_report, check_options, pseudonym
from graphvc.reports.folders import complete_reports, list_reports, read_manifest

__all__ = [
    "build_report",
    "check_options",
    "complete_reports",
    "list_reports",
    "pseudonym",
    "read_manifest",
]
