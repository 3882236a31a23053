"""Planted contagion: gun and knife victimisations that follow a network neighbour's.

:func:`plant_contagion` adds to a synthetic dataset victimisations drawn from a known Hawkes
process on the person network (the network :func:`graphvc.predict.contagion.contagion_network`
builds from the whole dataset): each person of the network is victimised at a baseline rate
``mu`` a day, and every gun or knife victimisation of a person (planted or already in the
data) triggers, in each of their neighbours, a Poisson(``alpha``) number of victimisations,
each after an exponential delay of mean ``1 / omega`` days (the kernel
``alpha * omega * exp(-omega * dt)``). What was planted is recorded under ``contagion`` in
the ground truth, so that :func:`graphvc.predict.contagion.fit_contagion` can be checked
against it. A victimisation already in the data is not moved: the fitted baseline is the
planted ``mu`` plus the data's own rate.

Each planted victimisation is an incident of its own (a knife wounding, one in four a
firearm discharge; no suspect named, under investigation) at the place of an incident drawn
from the data. Incidents are numbered again in time order afterwards, as in the data.
"""

from __future__ import annotations

from collections import deque
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from graphvc.errors import ConfigError
from graphvc.harm_index import DEFAULT_HARM_TABLE, load_harm_table
from graphvc.predict.contagion import contagion_events, contagion_network
from graphvc.synth.planting import SyntheticDataset

__all__ = ["PLANTED_CONTAGION", "plant_contagion"]

#: The planted parameters by default (per day): a baseline of one victimisation per person of
#: the network in about 14 years, 0.1 victimisations triggered per tie, after 100 days on
#: average (Green et al. found the risk raised for about 125 days). The process is stable
#: while ``alpha`` times the network's largest adjacency eigenvalue stays under 1: that
#: eigenvalue is 7 to 9 on synthetic cities of 6,000 to 100,000 incidents (cliques of
#: co-offending groups), so 0.1 keeps each cascade finite.
PLANTED_CONTAGION: dict[str, float] = {"mu": 0.0002, "alpha": 0.1, "omega": 0.01}
#: The planted offences: (offence, category, chance).
_OFFENCES = (("gbh_with_intent", "knife_enabled", 0.75), ("firearm_discharge", "gun_enabled", 0.25))
#: No more planted victimisations than this many per person of the network: a guard against
#: a kernel too strong for the network (a branching ratio over 1 grows without end).
_MOST_PER_PERSON = 5
_DAY = pd.Timedelta(days=1)


def _cascade(
    rng: np.random.Generator,
    neighbours: list[np.ndarray],
    parents: list[tuple[int, float]],
    *,
    span: float,
    alpha: float,
    omega: float,
    limit: int,
) -> list[tuple[int, float]]:
    """The victimisations (person, day) triggered by ``parents`` and by what they trigger."""
    queue = deque(parents)
    born: list[tuple[int, float]] = []
    while queue:
        person, day = queue.popleft()
        for neighbour in neighbours[person]:
            for delay in rng.exponential(1 / omega, rng.poisson(alpha)):
                if day + delay < span:
                    born.append((int(neighbour), day + delay))
                    queue.append(born[-1])
        if len(born) > limit:
            raise ConfigError(
                f"the planted contagion (alpha={alpha}, omega={omega}) grows without end on "
                f"this network: over {limit:,} victimisations; choose a smaller alpha"
            )
    return born


def plant_contagion(
    dataset: SyntheticDataset,
    *,
    seed: int,
    mu: float = PLANTED_CONTAGION["mu"],
    alpha: float = PLANTED_CONTAGION["alpha"],
    omega: float = PLANTED_CONTAGION["omega"],
) -> SyntheticDataset:
    """``dataset`` with planted contagion of gun and knife victimisation (the module's
    docstring), the same for the same seed; ``ground_truth["contagion"]`` says what.

    Raises
    ------
    ConfigError
        For a parameter that is not positive, or a kernel that grows without end.

    Examples
    --------
    >>> from graphvc.synth import generate, synthetic_city
    >>> data = plant_contagion(generate(1000, 3, synthetic_city(3)), seed=3)
    >>> truth = data.ground_truth["contagion"]
    >>> truth["alpha"], truth["omega"], truth["incidents_added"] > 0
    (0.1, 0.01, True)
    >>> data.incidents["incident_id"].is_monotonic_increasing
    True
    """
    for name, value in (("mu", mu), ("alpha", alpha), ("omega", omega)):
        if not value > 0:
            raise ConfigError(f"planted contagion: {name}={value!r} must be positive")
    rng = np.random.default_rng([seed, 37])
    tables = dataset.tables
    G = contagion_network(tables, end=None)
    people = pd.Index(sorted(str(n) for n in G.nodes))
    neighbours = [
        np.sort(people.get_indexer(pd.Index([str(m) for m in G.neighbors(p)]))) for p in people
    ]
    occurred = pd.to_datetime(dataset.incidents["occurred_at"])
    start = occurred.min().normalize()
    end = occurred.max().normalize() + _DAY
    span = (end - start) / _DAY
    immigrants = [
        (person, day)
        for person in range(len(people))
        for day in np.sort(rng.uniform(0, span, rng.poisson(mu * span)))
    ]
    before = contagion_events(dataset.incidents, dataset.involvements)
    before = before.assign(person=people.get_indexer(pd.Index(before["person_id"])))
    before = before[before["person"] >= 0]
    existing = list(
        zip(
            before["person"].tolist(),
            ((before["occurred_at"] - start) / _DAY).tolist(),
            strict=True,
        )
    )
    born = _cascade(
        rng,
        neighbours,
        existing + immigrants,
        span=span,
        alpha=alpha,
        omega=omega,
        limit=_MOST_PER_PERSON * max(len(people), 1),
    )
    planted = immigrants + born
    truth: dict[str, Any] = {
        "mu": mu,
        "alpha": alpha,
        "omega": omega,
        "unit": "per day",
        "outcome": "victim",
        "start": start.date().isoformat(),
        "end": end.date().isoformat(),
        "people": len(people),
        "baseline_victimisations": len(immigrants),
        "triggered_victimisations": len(born),
        "existing_victimisations": len(existing),
        "incidents_added": len(planted),
    }
    return _with_incidents(dataset, rng, people, planted, start, truth)


def _with_incidents(
    dataset: SyntheticDataset,
    rng: np.random.Generator,
    people: pd.Index,
    planted: list[tuple[int, float]],
    start: pd.Timestamp,
    truth: dict[str, Any],
) -> SyntheticDataset:
    """``dataset`` with one incident per planted victimisation, incidents renumbered."""
    n = len(planted)
    person = np.array([p for p, _ in planted], dtype=np.int64)
    moment = start + pd.to_timedelta(np.array([d for _, d in planted]), unit="D")
    kind = rng.choice(len(_OFFENCES), size=n, p=[chance for *_, chance in _OFFENCES])
    harm = load_harm_table(DEFAULT_HARM_TABLE).table.set_index("offence")["harm_days"]
    offence = np.array([_OFFENCES[k][0] for k in kind], dtype=object)
    temporary = np.array([f"planted-{k}" for k in range(n)], dtype=object)
    added = pd.DataFrame(
        {
            "incident_id": temporary,
            "occurred_at": moment.floor("s").strftime("%Y-%m-%dT%H:%M:%S"),
            "offence": offence,
            "category": [_OFFENCES[k][1] for k in kind],
            "weapon": True,
            "alcohol": False,
            "domestic": False,
            "hate": False,
            "harm": harm.reindex(offence).to_numpy(dtype=float),
            "outcome": "under_investigation",
            "location_id": rng.choice(dataset.incidents["location_id"].to_numpy(), size=n),
        }
    )
    incidents = pd.concat([dataset.incidents, added[dataset.incidents.columns]], ignore_index=True)
    incidents = incidents.sort_values(["occurred_at"], kind="stable", ignore_index=True)
    width = max(7, len(str(len(incidents))))
    renamed = dict(
        zip(
            incidents["incident_id"],
            [f"I{k:0{width}d}" for k in range(1, len(incidents) + 1)],
            strict=True,
        )
    )
    incidents["incident_id"] = incidents["incident_id"].map(renamed)
    involvements = pd.concat(
        [
            dataset.involvements,
            pd.DataFrame({"person_id": people[person], "incident_id": temporary, "role": "victim"}),
        ],
        ignore_index=True,
    )
    involvements["incident_id"] = involvements["incident_id"].map(renamed)
    involvements = involvements.sort_values(
        ["incident_id", "role", "person_id"], kind="stable", ignore_index=True
    )
    assessments = dataset.risk_assessments.assign(
        incident_id=dataset.risk_assessments["incident_id"].map(renamed)
    )
    return replace(
        dataset,
        incidents=incidents,
        involvements=involvements[dataset.involvements.columns],
        risk_assessments=assessments,
        ground_truth={**dataset.ground_truth, "contagion": truth},
    )
