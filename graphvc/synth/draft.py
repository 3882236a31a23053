"""The draft: incidents and involvements under construction, and the structures planted in them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from graphvc.contract import OUTCOMES
from graphvc.synth.drawing import draw, expand, vector
from graphvc.synth.parameters import MIXES, OUTCOME_WEIGHTS, VICTIMLESS_OFFENCES

__all__ = [
    "DRAWN_VICTIM",
    "EXTRA_VICTIM",
    "FIXED_VICTIM",
    "OFFENDER",
    "WITNESS",
    "Cliques",
    "Draft",
    "Owned",
]


# Kinds of involvement, in order of precedence: a person has one part per incident, and when a
# drawn victim or witness already has one, they are replaced by a new person.
OFFENDER, FIXED_VICTIM, DRAWN_VICTIM, EXTRA_VICTIM, WITNESS = range(5)


class Draft:
    """Incidents and involvements under construction, as integer codes.

    Incident times, areas and sites are -1 until drawn, for those a scenario leaves open.
    """

    def __init__(self, rng: np.random.Generator, harm_index: pd.DataFrame) -> None:
        self.rng = rng
        self.harm_index = harm_index
        offences = tuple(harm_index["offence"])
        self.offence_weights = np.array([vector(offences, mix.offences) for mix in MIXES.values()])
        self.victimless = harm_index["offence"].isin(VICTIMLESS_OFFENCES).to_numpy()
        no_suspect = OUTCOME_WEIGHTS | {"no_suspect": 0.0}
        self.outcome_weights = np.array(
            [vector(OUTCOMES, OUTCOME_WEIGHTS), vector(OUTCOMES, no_suspect)]
        )
        self.n_persons = 0
        self.n_incidents = 0
        self._incidents: list[dict[str, np.ndarray]] = []
        self._involvements: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []

    def new_persons(self, n: int) -> np.ndarray:
        first, self.n_persons = self.n_persons, self.n_persons + n
        return np.arange(first, first + n)

    def add_incidents(
        self,
        mixes: np.ndarray,
        *,
        suspect_named: bool,
        outcome: str | None = None,
        time: np.ndarray | None = None,
        area: np.ndarray | None = None,
        site: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Add incidents of the given mixes; return their indexes and outcome codes."""
        n = len(mixes)
        offence = draw(self.rng, self.offence_weights, mixes)
        if outcome is None:
            named = suspect_named | self.victimless[offence]
            outcomes = draw(self.rng, self.outcome_weights, named.astype(np.int64))
        else:
            outcomes = np.full(n, OUTCOMES.index(outcome))
        unset = np.full(n, -1, dtype=np.int64)
        self._incidents.append(
            {
                "mix": mixes,
                "offence": offence,
                "outcome": outcomes,
                "time": unset if time is None else time,
                "area": unset if area is None else area,
                "site": unset if site is None else site,
            }
        )
        first, self.n_incidents = self.n_incidents, self.n_incidents + n
        return np.arange(first, first + n), outcomes

    def involve(self, incidents: np.ndarray, persons: np.ndarray, kind: int) -> None:
        self._involvements.append((incidents, persons, np.full(len(incidents), kind)))

    def incident_columns(self) -> dict[str, np.ndarray]:
        return {
            name: np.concatenate([part[name] for part in self._incidents]).astype(np.int64)
            for name in self._incidents[0]
        }

    def involvement_columns(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Incident, person and kind of every involvement so far."""
        incident, person, kind = (
            np.concatenate(column) for column in zip(*self._involvements, strict=True)
        )
        return incident, person, kind


@dataclass(frozen=True)
class Cliques:
    """Groups or crews: the members of clique ``i`` are ``members[start[i] : start[i] + size[i]]``."""

    members: np.ndarray
    start: np.ndarray
    size: np.ndarray

    @classmethod
    def new(cls, draft: Draft, size: np.ndarray) -> Cliques:
        return cls(draft.new_persons(int(size.sum())), np.cumsum(size) - size, size)

    def all_members(self, cliques: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Every member of each of ``cliques``: (position in ``cliques``, person)."""
        run, position = expand(self.start[cliques], self.size[cliques])
        return run, self.members[position]

    def pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """Every pair of members of the same clique."""
        first, second = np.triu_indices(int(self.size.max()), k=1)
        clique, pair = np.nonzero(second[np.newaxis, :] < self.size[:, np.newaxis])
        base = self.start[clique]
        return self.members[base + first[pair]], self.members[base + second[pair]]

    def lists(self, person_ids: np.ndarray) -> list[list[str]]:
        return [
            sorted(person_ids[self.members[start : start + size]].tolist())
            for start, size in zip(self.start.tolist(), self.size.tolist(), strict=True)
        ]


@dataclass(frozen=True)
class Owned:
    """The incidents that make up planted structures: ``incident[i]`` belongs to ``owner[i]``.

    ``owner`` indexes the structures (groups, crews, brokers, ...) in their planting order.
    """

    incident: np.ndarray
    owner: np.ndarray
