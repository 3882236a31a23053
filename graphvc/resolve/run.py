"""One run of ``graphvc resolve``: read the people, score their pairs, write the candidates."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

import neo4j
import pandas as pd

from graphvc.db import read_cypher, run_autocommit, run_query, run_write
from graphvc.errors import ResolveError
from graphvc.resolve.model import COMPARED, MODEL_NAME, Scored, score_pairs

__all__ = [
    "CANDIDATE_FLOOR",
    "DEFAULT_THRESHOLD",
    "ResolveSummary",
    "candidate_rows",
    "people_to_compare",
    "read_people",
    "resolve",
]

#: The match probability at which two records are clustered as one person (and counted as
#: found in the precision and recall of docs/methods/resolve.md). High, because a wrong merge
#: joins two people's networks, where a missed one leaves the network as it was.
DEFAULT_THRESHOLD = 0.95

#: The lowest match probability of a pair written as a candidate for an analyst to look at.
CANDIDATE_FLOOR = 0.5

#: The fields compared beside the name: a graph with none of them has nothing to resolve on.
_IDENTIFYING = ("date_of_birth", "postcode", "pnc_id")


@dataclass(frozen=True)
class ResolveSummary:
    """What a run did (the ``--json`` summary): ``people`` read, ``with_fields`` of them
    holding a date of birth, postcode or PNC id, ``pairs`` written, ``clusters`` of two or
    more records at ``threshold``, ``clustered`` records in them, ``model``, ``run_at``."""

    people: int
    with_fields: int
    pairs: int
    clusters: int
    clustered: int
    threshold: float
    model: str
    run_at: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def read_people(driver: neo4j.Driver, *, database: str = "neo4j") -> pd.DataFrame:
    """Every person with the fields the model compares (:func:`people_to_compare`).

    Read here only: the identifying fields never leave the database otherwise.
    """
    people = run_query(driver, read_cypher("resolve/people"), database=database)
    if people.empty:
        people = pd.DataFrame(columns=["person_id", "name", *_IDENTIFYING])
    return people_to_compare(people)


def people_to_compare(persons: pd.DataFrame) -> pd.DataFrame:
    """Persons (``person_id``, ``name`` and the identifying columns of the contract) as the
    model compares them: the name split into its first and last words, in lower case
    (``first_name``, ``surname``), postcodes in upper case with single spaces, missing
    values as None.

    >>> people_to_compare(pd.DataFrame({"person_id": ["P1"], "name": [" Ann  Marie Lee"],
    ...     "date_of_birth": ["1990-04-17"], "postcode": ["se15  4qf"], "pnc_id": [None]}))
      person_id first_name surname date_of_birth  postcode pnc_id
    0        P1        ann     lee    1990-04-17  SE15 4QF   None
    """
    people = persons.copy()
    names = people["name"].astype("string").str.strip().str.split()
    people["first_name"] = names.str[0].str.lower()
    people["surname"] = names.str[-1].str.lower().where(names.map(len, na_action="ignore") > 1)
    people["postcode"] = people["postcode"].astype("string").str.upper().str.split().str.join(" ")
    columns = ["person_id", "first_name", "surname", *_IDENTIFYING]
    frame = people[columns].astype(object)
    return frame.where(frame.notna(), None)


def _evidence(row: Any, levels: dict[str, dict[int, str]]) -> tuple[str, list[str]]:
    """A pair's evidence (comparison -> level and Bayes factor, as JSON) and the compared
    fields that agreed exactly (the top level of their comparison)."""
    evidence: dict[str, dict[str, Any]] = {}
    agreed: list[str] = []
    for name, labels in levels.items():
        gamma = int(getattr(row, f"gamma_{name}"))
        factor = float(getattr(row, f"bf_{name}"))
        adjustment = getattr(row, f"bf_tf_adj_{name}", None)
        if adjustment is not None and not pd.isna(adjustment):
            factor *= float(adjustment)
        evidence[name] = {"level": labels.get(gamma, str(gamma)), "bayes_factor": factor}
        if gamma == max(labels):
            agreed.extend(COMPARED[name])
    return json.dumps(evidence, sort_keys=True), agreed


def candidate_rows(scored: Scored) -> list[dict[str, Any]]:
    """The candidate pairs as rows for ``cypher/resolve/write_pairs.cypher``: lower id first,
    each with the cluster both records are in at the threshold ("" when they are in two)."""
    cluster = dict(zip(scored.clusters["person_id"], scored.clusters["cluster_id"], strict=True))
    rows = []
    for row in scored.pairs.itertuples(index=False):
        a, b = sorted((str(row.person_id_l), str(row.person_id_r)))
        evidence, agreed = _evidence(row, scored.levels)
        same = cluster.get(a) == cluster.get(b)
        probability = float(str(row.match_probability))
        rows.append(
            {
                "a": a,
                "b": b,
                "probability": probability if math.isfinite(probability) else 0.0,
                "cluster": str(cluster[a]) if same else "",
                "evidence": evidence,
                "agreed": agreed,
            }
        )
    return rows


def resolve(
    driver: neo4j.Driver,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    database: str = "neo4j",
    seed: int = 36,
    progress: Callable[[str], None] | None = None,
    now: datetime | None = None,
) -> tuple[ResolveSummary, Scored]:
    """Find the records that may be one person, and write them as candidate pairs.

    Parameters
    ----------
    driver : neo4j.Driver
    threshold : float
        The match probability at which records are clustered as one person (0 to 1).
    database : str
    seed : int
        Seed of the model's random pairs (:func:`graphvc.resolve.model.score_pairs`).
    progress : callable, optional
        Called with the name of each step as it starts.
    now : datetime, optional
        The run's time (``run_at`` on every pair); default: now, in UTC.

    Returns
    -------
    (ResolveSummary, Scored)
        The summary, and the model's pairs and clusters.

    Raises
    ------
    ResolveError
        If no person has a date of birth, postcode or PNC id: names alone (or ids) would
        match strangers, so nothing is compared and nothing written.
    """
    if not 0 < threshold <= 1:
        raise ResolveError(f"--threshold {threshold!r} must be above 0 and at most 1")
    people = read_people(driver, database=database)
    with_fields = int(people[list(_IDENTIFYING)].notna().any(axis=1).sum())
    if with_fields == 0:
        raise ResolveError(
            f"none of the {len(people):,} people has a date of birth, postcode or PNC id:"
            " nothing to resolve on (names and ids alone would match strangers)"
        )
    run_at = now or datetime.now(UTC)
    scored = score_pairs(
        people,
        threshold=threshold,
        floor=min(CANDIDATE_FLOOR, threshold),
        seed=seed,
        progress=progress,
    )
    rows = candidate_rows(scored)
    if progress is not None:
        progress("writing the candidate pairs")
    run_autocommit(driver, read_cypher("resolve/clear_pairs"), database=database)
    run_write(
        driver,
        read_cypher("resolve/write_pairs"),
        rows,
        parameters={"model": MODEL_NAME, "run_at": run_at},
        database=database,
    )
    sizes = scored.clusters["cluster_id"].value_counts()
    summary = ResolveSummary(
        people=len(people),
        with_fields=with_fields,
        pairs=len(rows),
        clusters=int((sizes >= 2).sum()),
        clustered=int(sizes[sizes >= 2].sum()),
        threshold=threshold,
        model=MODEL_NAME,
        run_at=run_at.isoformat(),
    )
    return summary, scored
