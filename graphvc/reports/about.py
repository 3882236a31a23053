"""What a report page says about itself: how it was made (a short table of the run's
parameters; the full record stays in ``manifest.json``) and where one of its lists is cut.

Both read the report's manifest (:func:`graphvc.reports.manifest.manifest`), so the page
says nothing the manifest does not record.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

__all__ = ["cut_note", "list_size", "provenance"]


def list_size(shown: int, qualified: int) -> dict[str, int]:
    """How many rows a list shows and how many qualified for it, as the manifest's
    ``lists`` records them."""
    return {"shown": int(shown), "qualified": int(qualified)}


def cut_note(manifest: Mapping[str, Any], table: str, noun: str) -> str:
    """A sentence saying whether the list ``table`` is cut: ``"100 of 107 victims shown;
    raise --top to list more."``, or that all are shown; empty when the manifest's
    ``lists`` does not record it.

    Examples
    --------
    >>> about = {"lists": {"victims": list_size(100, 107), "offenders": list_size(3, 3)}}
    >>> cut_note(about, "victims", "victims")
    '100 of 107 victims shown; raise --top to list more.'
    >>> cut_note(about, "offenders", "people"), cut_note(about, "places", "places")
    ('All 3 people shown.', '')
    """
    size = manifest.get("lists", {}).get(table)
    if not size or not size["qualified"]:
        return ""  # an empty list says why itself
    shown, qualified = size["shown"], size["qualified"]
    if shown >= qualified:
        return f"All {qualified:,} {noun} shown."
    return f"{shown:,} of {qualified:,} {noun} shown; raise --top to list more."


#: What ``--weights`` did to the network measures, in plain words.
_STRENGTHS = {
    "strength": "weighted: more shared incidents or a stronger association bring two people "
    "closer in every network measure",
    "none": "unweighted (--weights none): every tie counts as one in every network measure; "
    "harm PageRank still weighs harm",
}


def _weights(weights: Mapping[str, float]) -> str:
    return ", ".join(f"{name.replace('_', ' ')} × {weight:g}" for name, weight in weights.items())


def _bands(values: list[Any], unit: str) -> str:
    return ", ".join(f"{value:g}" for value in values) + f" {unit}" if values else "none"


def _rows(manifest: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The table's rows: what was chosen, then what was found, then the software."""
    p = manifest["parameters"]
    data = manifest["data"]
    graph = data.get("graph", {})
    software = manifest.get("versions", {})
    neo4j = software.get("neo4j", {}).get("version", "unknown")
    analysis = data.get("analysis", {})
    window = analysis.get("window", {})
    rows = [
        ("As of", str(manifest["as_of"])),
        (
            "Window",
            f"{p['window_days']:,} days of incidents: {str(window.get('start', ''))[:10]} to "
            f"the day before {manifest['as_of']}",
        ),
        ("Repeat victimisation window", f"{p.get('repeat_window_days', 365):,} days"),
        ("Person network", _weights(p.get("tie_weights", {})) or "none"),
        ("Tie strengths", _STRENGTHS.get(p.get("weights", "strength"), str(p.get("weights")))),
        ("Priority", f"weighted mean of {_weights(p.get('priority_weights', {}))}"),
        ("List length (--top)", f"{p['top']:,}, ties at the cut kept"),
        (
            "People named",
            "pseudonymised (keyed hashes of ids)" if p.get("pseudonymised") else "by their ids",
        ),
        ("Betweenness", str(analysis.get("betweenness", "exact"))),
        ("Random seed", str(p.get("seed"))),
        (
            "Near repeats",
            f"{_bands(p.get('near_repeat_metres', []), 'm')}; "
            f"{_bands(p.get('near_repeat_days', []), 'days')}; "
            f"{p.get('near_repeat_simulations', 0):,} simulations",
        ),
    ]
    if "identities" in p:  # runs since the analysts' identity decisions counted
        merged = p["identities"]
        rows.append(
            (
                "Confirmed identities",
                f"{merged['clusters']:,} clusters of {merged['records']:,} records, each one person"
                if p.get("resolve") == "confirmed"
                else "ignored (--resolve none)",
            )
        )
    if "review_days" in p:
        rows.append(("Review after", f"{p['review_days']:,} days on the list"))
    if "inactive_months" in p:
        rows.append(("Removal after", f"{p['inactive_months']:,} months without offending"))
    if "targets" in manifest:
        rows.append(("Targets", f"{manifest['targets']['title']} ({manifest['targets']['file']})"))
    rows += [
        (
            "Data",
            f"{graph.get('incidents', 0):,} incidents, {graph.get('persons', 0):,} people, "
            f"{graph.get('locations', 0):,} locations in database {data.get('database', '')}",
        ),
        ("Data hash", str(data.get("data_hash", ""))[:12]),
        ("Configuration hash", str(manifest.get("config_hash", ""))[:12]),
        ("Compared with", str(manifest.get("previous_report") or "no earlier report")),
        (
            "Software",
            f"graphvc {software.get('graphvc', '')}, Neo4j {neo4j}, "
            f"Python {software.get('python', '')}",
        ),
    ]
    return rows


def provenance(manifest: Mapping[str, Any]) -> str:
    """The page's "How this was made" section: a short table of the run's parameters and
    its data and software, the hashes cut to 12 characters; ``manifest.json`` beside the
    page holds all of it in full, with each file's SHA-256."""
    cells = "".join(
        f'<tr><th scope="row">{escape(label)}</th><td>{escape(value)}</td></tr>'
        for label, value in _rows(manifest)
    )
    return (
        "<h2>How this was made</h2>"
        '<p class="note">The same data, configuration and software versions give the same '
        "tables. manifest.json, beside this page, records every parameter, version and count "
        "in full, and each file's SHA-256.</p>"
        f'<table class="about"><tbody>{cells}</tbody></table>'
    )
