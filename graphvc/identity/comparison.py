"""Candidate pairs as an analyst reads them (pure): two records' identifying fields side by
side with whether they agreed, the evidence weights behind the match probability, and the
clusters proposed and confirmed.

The evidence is ``graphvc resolve``'s, as it writes it on each ``POSSIBLY_SAME_AS``: a JSON
object of comparison name -> ``{"level", "bayes_factor"}``. A comparison's match weight is
the logarithm (base 2) of its Bayes factor, as splink reports it: each point doubles (or, when
negative, halves) the odds that the two records are one person (Fellegi & Sunter 1969,
https://doi.org/10.1080/01621459.1969.10501049).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

__all__ = [
    "COMPARED_FIELDS",
    "compared_fields",
    "confirmed_people",
    "evidence_weights",
    "pair_label",
    "person_pairs",
    "proposed_clusters",
]

#: The identifying fields shown side by side, by their name in the graph -> their label.
COMPARED_FIELDS: dict[str, str] = {
    "name": "Name",
    "date_of_birth": "Date of birth",
    "postcode": "Postcode",
    "pnc_id": "PNC id",
}


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value == ""


def compared_fields(pair: Mapping[str, Any]) -> pd.DataFrame:
    """The identifying fields of a candidate pair (a row of
    :func:`graphvc.identity.candidate_pairs`) side by side: ``field``, ``record_a``,
    ``record_b`` and ``agreed`` ("yes" when resolve counted the field as agreeing or the two
    are the same, "no" when both are recorded and it did not, "missing" when either is not).

    Examples
    --------
    >>> pair = {"person_a": "P1", "person_b": "P2", "agreed": ["name"], "name_a": "Jon Smith",
    ...         "name_b": "John Smith", "date_of_birth_a": "1990-03-04",
    ...         "date_of_birth_b": "1990-04-03", "postcode_a": "E1 6AN", "postcode_b": None,
    ...         "pnc_id_a": "01/123A", "pnc_id_b": "01/123A"}
    >>> compared_fields(pair)["agreed"].tolist()
    ['yes', 'no', 'missing', 'yes']
    """
    agreed = set(pair.get("agreed") or [])
    rows = []
    for field, label in COMPARED_FIELDS.items():
        a, b = pair.get(f"{field}_a"), pair.get(f"{field}_b")
        if field in agreed or (not _blank(a) and a == b):
            verdict = "yes"
        elif _blank(a) or _blank(b):
            verdict = "missing"
        else:
            verdict = "no"
        rows.append((label, None if _blank(a) else a, None if _blank(b) else b, verdict))
    return pd.DataFrame(rows, columns=["field", "record_a", "record_b", "agreed"])


def evidence_weights(evidence: str | Mapping[str, Any] | None) -> pd.DataFrame:
    """The evidence of a proposal (its JSON text or object) as a table: ``comparison``,
    ``level``, ``bayes_factor`` and ``match_weight`` (log2 of the Bayes factor), strongest
    for first; empty when there is none (a pair decided without a proposal).

    Examples
    --------
    >>> evidence = '{"surname": {"level": "exact", "bayes_factor": 64.0},'
    >>> evidence += ' "dob": {"level": "else", "bayes_factor": 0.25}}'
    >>> evidence_weights(evidence)[["comparison", "match_weight"]].to_numpy().tolist()
    [['surname', 6.0], ['dob', -2.0]]
    """
    columns = ["comparison", "level", "bayes_factor", "match_weight"]
    if evidence is None or (isinstance(evidence, float) and math.isnan(evidence)):
        return pd.DataFrame(columns=columns)
    found = json.loads(evidence) if isinstance(evidence, str) else dict(evidence)
    rows = []
    for name, detail in found.items():
        factor = float(detail.get("bayes_factor", math.nan))
        weight = math.log2(factor) if factor > 0 else -math.inf
        rows.append((name, detail.get("level"), factor, weight))
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values("match_weight", ascending=False, kind="stable", ignore_index=True)


def pair_label(pair: Mapping[str, Any]) -> str:
    """How the page names a pair in its picker.

    >>> pair_label({"person_a": "P1", "person_b": "P2", "probability": 0.973, "decision": None})
    'P1 / P2 · 97% · undecided'
    """
    probability = pair.get("probability")
    chance = "no proposal" if probability is None or _blank(probability) else f"{probability:.0%}"
    decision = pair.get("decision")
    return f"{pair['person_a']} / {pair['person_b']} · {chance} · {decision or 'undecided'}"


def proposed_clusters(candidates: pd.DataFrame) -> pd.DataFrame:
    """The clusters ``graphvc resolve`` proposed, from its pairs' ``cluster``: ``cluster``,
    ``records`` (how many), ``members`` (``;``-joined), ``probability`` (the highest of its
    pairs) and ``decided`` (how many of its pairs an analyst decided), largest first.

    Examples
    --------
    >>> pairs = pd.DataFrame({"person_a": ["P1", "P2", "P7"], "person_b": ["P2", "P3", "P8"],
    ...     "cluster": ["c1", "c1", "c2"], "probability": [0.9, 0.8, 0.99],
    ...     "decision": ["confirmed", None, None]})
    >>> proposed_clusters(pairs)[["cluster", "members", "decided"]].to_numpy().tolist()
    [['c1', 'P1;P2;P3', 1], ['c2', 'P7;P8', 0]]
    """
    proposed = candidates.dropna(subset=["cluster"])
    rows = []
    for cluster, pairs in proposed.groupby("cluster", sort=True):
        members = sorted({*pairs["person_a"], *pairs["person_b"]})
        rows.append(
            (
                str(cluster),
                len(members),
                ";".join(members),
                float(pairs["probability"].max()),
                int(pairs["decision"].notna().sum()),
            )
        )
    frame = pd.DataFrame(rows, columns=["cluster", "records", "members", "probability", "decided"])
    return frame.sort_values(
        ["records", "probability"], ascending=False, kind="stable"
    ).reset_index(drop=True)


def confirmed_people(clusters: Iterable[Sequence[str]]) -> pd.DataFrame:
    """The confirmed clusters as the people a run counts: ``person_id`` (the lowest id, whom
    a run scores), ``records`` and ``members``.

    >>> confirmed_people([["P3", "P1"]]).to_numpy().tolist()
    [['P1', 2, 'P1;P3']]
    """
    rows = [(min(c), len(c), ";".join(sorted(c))) for c in map(list, clusters)]
    return pd.DataFrame(rows, columns=["person_id", "records", "members"])


def person_pairs(candidates: pd.DataFrame, person_id: str) -> pd.DataFrame:
    """``person_id``'s candidate duplicates and decisions, for their profile: ``person_id``
    (the other record), ``probability``, ``decision``, ``decided_by``, ``decided_at`` and
    ``reason``, most probable first.

    >>> pairs = pd.DataFrame({"person_a": ["P1", "P0"], "person_b": ["P2", "P1"],
    ...     "probability": [0.9, None], "decision": [None, "rejected"], "decided_by": [None, "ann"],
    ...     "decided_at": [None, "2026-01-02"], "reason": [None, "twins"]})
    >>> person_pairs(pairs, "P1")[["person_id", "decided_by"]].to_numpy().tolist()
    [['P2', nan], ['P0', 'ann']]
    """
    mine = candidates[(candidates["person_a"] == person_id) | (candidates["person_b"] == person_id)]
    other = mine["person_b"].where(mine["person_a"] == person_id, mine["person_a"])
    columns = ["probability", "decision", "decided_by", "decided_at", "reason"]
    return mine[columns].assign(person_id=other)[["person_id", *columns]].reset_index(drop=True)
