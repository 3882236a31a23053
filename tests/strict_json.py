"""JSON read as `jq` and JavaScript read it: ``NaN`` and ``Infinity`` are not JSON."""

from __future__ import annotations

import json
from typing import Any


def strict_json(text: str) -> Any:
    """``text`` parsed as JSON proper: ``NaN``, ``Infinity`` and ``-Infinity`` refused with a
    ValueError."""

    def refuse(constant: str) -> None:
        raise ValueError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)
