"""Runs of watches: each due watch read-only, its new matches recorded as alerts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import neo4j

from graphvc.config import Settings

__all__ = ["run_watches"]


def run_watches(
    driver: neo4j.Driver,
    *,
    names: Iterable[str] | None = None,
    owner: str | None = None,
    now: datetime | None = None,
    settings: Settings | None = None,
    database: str = "neo4j",
) -> dict[str, Any]:
    """Run the due watches (or those ``names``, due or not) and record their new matches.

    Returns ``{"ran": n, "new_alerts": n, "watches": [{"name", "owner", "rows", "new"}]}``.
    """
    raise NotImplementedError
