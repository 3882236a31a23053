"""A run's view of the confirmed identities: each confirmed cluster of person records counted
as one person, pure (no database).

The records stay apart in the graph; a run (``analyse --resolve confirmed``, the default)
reads the graph's tables and, before any measure, renames every member of a confirmed cluster
to its representative, the cluster's lowest id (:func:`merge_people`). The network, repeat
victimisation, RFG, exposure and every other measure then see one person, and the people
table names the records behind it in ``members`` (:func:`cluster_members`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

__all__ = ["cluster_members", "merge_people", "representatives"]

#: The tables naming persons, by their person columns; each table's key, deduplicated after
#: renaming (two records of one person in one incident are one involvement).
_PERSON_COLUMNS: dict[str, tuple[str, ...]] = {
    "persons": ("person_id",),
    "involvements": ("person_id",),
    "risk_assessments": ("person_id",),
    "associations": ("person_a", "person_b"),
}
_KEYS: dict[str, tuple[str, ...]] = {
    "persons": ("person_id",),
    "involvements": ("person_id", "incident_id", "role"),
    "risk_assessments": ("person_id", "incident_id", "assessed_at", "tool"),
}


def representatives(clusters: Iterable[Sequence[str]]) -> dict[str, str]:
    """Every member of a cluster of two or more -> the cluster's lowest id (itself included).

    >>> representatives([["P7", "P3", "P5"], ["P9"]])
    {'P3': 'P3', 'P5': 'P3', 'P7': 'P3'}
    """
    mapping: dict[str, str] = {}
    for cluster in clusters:
        members = sorted(str(m) for m in cluster)
        if len(members) >= 2:
            mapping |= dict.fromkeys(members, members[0])
    return mapping


def cluster_members(clusters: Iterable[Sequence[str]]) -> pd.Series:
    """The ``members`` of each confirmed cluster, ``;``-joined in id order, indexed by the
    representative (the lowest id).

    >>> cluster_members([["P7", "P3", "P5"]]).to_dict()
    {'P3': 'P3;P5;P7'}
    """
    joined = {
        min(map(str, c)): ";".join(sorted(map(str, c)))
        for c in clusters
        if len(set(map(str, c))) >= 2
    }
    return pd.Series(joined, dtype="object", name="members").rename_axis("person_id")


def merge_people(
    tables: Mapping[str, pd.DataFrame], clusters: Iterable[Sequence[str]]
) -> dict[str, pd.DataFrame]:
    """The contract's ``tables`` with each cluster of ``clusters`` as one person: every member
    renamed to the cluster's lowest id, in every table naming persons.

    The representative keeps its own ``persons`` row (its age band, sex and ethnicity); the
    others' rows go. Rows that become the same once renamed are kept once: one involvement of
    the person per incident and role, one risk assessment per incident, moment and tool, one
    association per pair and type (the strongest). An association between two records of one
    person is dropped: no one is tied to themself. Tables not naming persons are returned as
    they are; with no cluster, every table is.

    Examples
    --------
    >>> involvements = pd.DataFrame(
    ...     {"person_id": ["P1", "P2", "P3"], "incident_id": ["I1", "I1", "I2"], "role": "offender"}
    ... )
    >>> merged = merge_people({"involvements": involvements}, [["P2", "P1"]])
    >>> merged["involvements"].to_numpy().tolist()
    [['P1', 'I1', 'offender'], ['P3', 'I2', 'offender']]
    """
    mapping = representatives(clusters)
    merged = dict(tables)
    if not mapping:
        return merged
    for table, columns in _PERSON_COLUMNS.items():
        if table not in tables:
            continue
        frame = tables[table]
        renamed = frame.assign(
            **{c: frame[c].map(lambda v: mapping.get(v, v)) for c in columns if c in frame}
        )
        if table == "associations":
            renamed = _merged_associations(renamed)
        elif table == "persons":
            kept = ~frame["person_id"].isin(set(mapping) - set(mapping.values()))
            renamed = renamed[kept.to_numpy()]
        key = [c for c in _KEYS.get(table, ()) if c in renamed]
        if key:
            renamed = renamed.drop_duplicates(subset=key)
        merged[table] = renamed.reset_index(drop=True)
    return merged


def _merged_associations(associations: pd.DataFrame) -> pd.DataFrame:
    """``associations`` renamed: ties of a person to themself dropped, and one tie per
    unordered pair and type, the strongest (the first of equal ones), in their first order."""
    kept = associations[associations["person_a"] != associations["person_b"]]
    low = kept[["person_a", "person_b"]].min(axis=1)
    high = kept[["person_a", "person_b"]].max(axis=1)
    keyed = kept.assign(_low=low, _high=high, _order=range(len(kept)))
    strongest = keyed.sort_values("weight", ascending=False, na_position="last", kind="stable")
    once = strongest.drop_duplicates(subset=["_low", "_high", "type"]).sort_values("_order")
    return once.drop(columns=["_low", "_high", "_order"])
