"""Planted duplicate records: the same person under several person ids, to measure resolution.

Real police data holds one person many times: a crime record, an intelligence report and a
custody record spell the name differently, swap the day and month of birth or miss a field.
:func:`plant_duplicates` gives every synthetic person the identifying fields of the input
contract (a name, a date of birth, a postcode, a PNC id) and then copies a share of them into
new records with such errors, each new record taking some of its person's incidents, so that
the split changes the network as it would in real data. ``ground_truth.json`` lists the
records that are one person (key ``duplicates``), which ``graphvc resolve`` is measured on.

Names are drawn from the ``en_GB`` lists of the ``faker`` package with graphvc's own seeded
generator: made-up people, never real ones, and the same for the same seed.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
from faker.providers.person.en_GB import Provider as BritishNames

from graphvc.errors import ConfigError
from graphvc.synth.planting import SyntheticDataset
from graphvc.synth.tables import numbered_ids

__all__ = ["NICKNAMES", "plant_duplicates"]

#: Common English nicknames: a duplicate record may carry one instead of the given name.
NICKNAMES: dict[str, str] = {
    "Alexander": "Alex", "Andrew": "Andy", "Anthony": "Tony", "Benjamin": "Ben",
    "Charles": "Charlie", "Christopher": "Chris", "Daniel": "Dan", "David": "Dave",
    "Edward": "Ed", "Elizabeth": "Liz", "Frederick": "Fred", "Gregory": "Greg",
    "James": "Jim", "Jennifer": "Jen", "Jessica": "Jess", "Jonathan": "Jon",
    "Joseph": "Joe", "Joshua": "Josh", "Katherine": "Kate", "Kathryn": "Kate",
    "Kimberley": "Kim", "Leonard": "Len", "Margaret": "Maggie", "Matthew": "Matt",
    "Michael": "Mike", "Nicholas": "Nick", "Patricia": "Pat", "Peter": "Pete",
    "Rebecca": "Becky", "Richard": "Rick", "Robert": "Bob", "Samantha": "Sam",
    "Samuel": "Sam", "Stephen": "Steve", "Steven": "Steve", "Susan": "Sue",
    "Thomas": "Tom", "Timothy": "Tim", "Victoria": "Vicky", "William": "Bill",
    "Zachary": "Zac", "Abigail": "Abby", "Amanda": "Mandy", "Deborah": "Debbie",
    "Gemma": "Gem", "Jacqueline": "Jackie", "Natalie": "Nat", "Philip": "Phil",
    "Ronald": "Ron", "Sarah": "Sally", "Terence": "Terry",
}  # fmt: skip

#: Postcode areas of Greater London, for the synthetic people's addresses.
_AREAS = ("E", "EC", "N", "NW", "SE", "SW", "W", "WC", "BR", "CR", "DA", "EN", "HA", "IG",
          "KT", "RM", "SM", "TW", "UB")  # fmt: skip
#: The letters a postcode's unit may use (never C, I, K, M, O or V).
_UNIT_LETTERS = np.array(list("ABDEFGHJLNPQRSTUWXYZ"))
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
#: The age range each age band is drawn from, in years.
_AGES = {"0-17": (10, 18), "18-24": (18, 25), "25-34": (25, 35), "35-44": (35, 45),
         "45-54": (45, 55), "55-64": (55, 65), "65+": (65, 90), "unknown": (16, 70)}  # fmt: skip
#: The errors a duplicate record may carry, and how often each is drawn.
_ERRORS = {"typo": 0.25, "nickname": 0.15, "transposed_birth": 0.15, "no_birth": 0.1,
           "no_postcode": 0.1, "moved": 0.1, "no_pnc": 0.15}  # fmt: skip
#: The share of records missing each field before any duplicate is made.
_MISSING = {"date_of_birth": 0.03, "postcode": 0.08, "pnc_id": 0.5}


def _names(rng: np.random.Generator, weighted: Any, n: int) -> np.ndarray:
    """``n`` names drawn from one of faker's lists (weighted where faker gives weights)."""
    names = np.array(list(weighted))
    if isinstance(weighted, dict):
        weights = np.array(list(weighted.values()), dtype=float)
        return rng.choice(names, n, p=weights / weights.sum())
    return rng.choice(names, n)


def _postcodes(rng: np.random.Generator, outward: np.ndarray) -> np.ndarray:
    """A full postcode in each of the ``outward`` codes (``SE15`` -> ``SE15 4QF``)."""
    n = len(outward)
    units = _UNIT_LETTERS[rng.integers(0, len(_UNIT_LETTERS), (n, 2))]
    inward = np.strings.add(rng.integers(1, 10, n).astype(str), units[:, 0])
    return np.strings.add(np.strings.add(outward, " "), np.strings.add(inward, units[:, 1]))


def _identities(
    rng: np.random.Generator, persons: pd.DataFrame, born_by: pd.Timestamp
) -> dict[str, np.ndarray]:
    """A name, date of birth, postcode and PNC id for each person, some of them missing."""
    n = len(persons)
    sex = persons["sex"].to_numpy()
    female = np.where(sex == "X", rng.random(n) < 0.5, sex == "F")
    first = np.where(
        female,
        _names(rng, BritishNames.first_names_female, n),
        _names(rng, BritishNames.first_names_male, n),
    )
    last = _names(rng, BritishNames.last_names, n)
    band = persons["age_band"].map(_AGES)
    low = np.array([b[0] for b in band]) * 365.25
    high = np.array([b[1] for b in band]) * 365.25
    days = rng.uniform(low, high).astype("timedelta64[D]")
    born = (np.datetime64(born_by.date()) - days).astype(str)
    areas = np.array(_AREAS)[rng.integers(0, len(_AREAS), n)]
    outward = np.strings.add(areas, rng.integers(1, 21, n).astype(str))
    numbers = rng.choice(10**7, n, replace=False)
    years = rng.integers(0, 25, n)
    pnc = [
        f"{y:02d}/{k:07d}{_LETTERS[k % 26].upper()}" for y, k in zip(years, numbers, strict=True)
    ]
    fields = {
        "name": np.strings.add(np.strings.add(first, " "), last),
        "date_of_birth": born,
        "postcode": _postcodes(rng, outward),
        "pnc_id": np.array(pnc),
    }
    return {
        name: np.where(
            rng.random(n) < _MISSING.get(name, 0.0), np.array(None), values.astype(object)
        )
        for name, values in fields.items()
    }


def _typo(rng: np.random.Generator, word: str) -> str:
    """``word`` with one slip of the keyboard: a letter changed, dropped, doubled or swapped."""
    if len(word) < 3:
        return word + word[-1]
    at = int(rng.integers(1, len(word) - 1))
    kind = int(rng.integers(0, 4))
    if kind == 0:
        return word[:at] + _LETTERS[int(rng.integers(0, 26))] + word[at + 1 :]
    if kind == 1:
        return word[:at] + word[at + 1 :]
    if kind == 2:
        return word[:at] + word[at] + word[at:]
    return word[:at] + word[at + 1] + word[at] + word[at + 2 :]


def _with_errors(rng: np.random.Generator, record: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``record`` (one person's identifying fields) with one to three errors."""
    record = dict(record)
    kinds = rng.choice(list(_ERRORS), int(rng.integers(1, 4)), replace=False,
                       p=np.array(list(_ERRORS.values())))  # fmt: skip
    first, _, last = (record["name"] or " ").partition(" ")
    born = record["date_of_birth"]
    for kind in kinds:
        if kind == "typo":
            if rng.random() < 0.5:
                first = _typo(rng, first)
            else:
                last = _typo(rng, last)
        elif kind == "nickname":
            first = NICKNAMES.get(first, _typo(rng, first))
        elif kind == "transposed_birth" and born is not None:
            year, month, day = born.split("-")
            # A day past the 12th cannot be a month: such a record is a day out instead.
            if int(day) <= 12:
                born = f"{year}-{day}-{month}"
            else:
                born = f"{year}-{month}-{int(day) - 1:02d}"
        elif kind == "no_birth":
            born = None
        elif kind == "no_postcode":
            record["postcode"] = None
        elif kind == "moved" and record["postcode"] is not None:
            outward = record["postcode"].split(" ")[0]
            record["postcode"] = str(_postcodes(rng, np.array([outward]))[0])
        elif kind == "no_pnc":
            record["pnc_id"] = None
    record["name"] = f"{first} {last}".strip() or None
    record["date_of_birth"] = born
    return record


def _split_involvements(
    rng: np.random.Generator, involvements: pd.DataFrame, records: dict[str, list[str]]
) -> pd.DataFrame:
    """Share each person's involvements among their records: each keeps at least one, and a
    record of a person with a single involvement takes part in that same incident."""
    rows = involvements.groupby("person_id", sort=False).indices
    person = involvements["person_id"].to_numpy(dtype=object).copy()
    extra = []
    for original, copies in records.items():
        own = rows.get(original)
        if own is None:
            continue
        ids = np.array([original, *copies], dtype=object)
        # Each record first gets one involvement of its own (while there are enough), then
        # the rest fall to the records at random.
        slot = rng.integers(0, len(ids), len(own))
        first = min(len(own), len(ids))
        slot[rng.permutation(len(own))[:first]] = np.arange(first)
        person[own] = ids[slot]
        for record in ids[first:]:
            shared = involvements.iloc[int(own[int(rng.integers(0, len(own)))])]
            extra.append(shared.to_dict() | {"person_id": record})
    moved = involvements.assign(person_id=person)
    return pd.concat([moved, pd.DataFrame(extra, columns=involvements.columns)], ignore_index=True)


def plant_duplicates(dataset: SyntheticDataset, rate: float, seed: int) -> SyntheticDataset:
    """Give the people of ``dataset`` identifying fields and plant duplicate records of some.

    Parameters
    ----------
    dataset : SyntheticDataset
        What :func:`~graphvc.synth.planting.generate` made; it is not changed.
    rate : float
        The share of people given a duplicate record, from 0 to 1; a fifth of them get two
        (one person, three records).
    seed : int
        Seed of the draws (a generator of their own: the other tables stay as the seed made
        them).

    Returns
    -------
    SyntheticDataset
        The persons with ``name``, ``date_of_birth``, ``postcode`` and ``pnc_id`` (some
        missing, as in real records) and the new records (ids numbered after the last
        person's); the involvements shared between each person's records; the ground truth
        with ``duplicates``, the lists of record ids that are one person.

    Raises
    ------
    ConfigError
        If ``rate`` is not between 0 and 1.

    Examples
    --------
    >>> from graphvc.synth import generate, synthetic_city
    >>> data = plant_duplicates(generate(1000, 3, synthetic_city(3)), 0.05, seed=3)
    >>> groups = data.ground_truth["duplicates"]
    >>> len(groups) > 0, all(len(g) in (2, 3) for g in groups)
    (True, True)
    >>> set(sum(groups, [])) <= set(data.involvements["person_id"])
    True
    """
    if not 0 <= rate <= 1:
        raise ConfigError(f"--duplicates {rate!r} must be between 0 and 1")
    rng = np.random.default_rng([seed, 36])
    persons = dataset.persons.copy()
    born_by = pd.Timestamp(dataset.incidents["occurred_at"].min()[:10])
    for name, values in _identities(rng, persons, born_by).items():
        persons[name] = values
    chosen = np.sort(rng.choice(len(persons), round(rate * len(persons)), replace=False))
    copies = np.where(rng.random(len(chosen)) < 0.2, 2, 1)
    numbers = np.arange(1, copies.sum() + 1) + len(persons)
    new_ids = iter(numbered_ids("P", numbers).tolist())
    fields = ["name", "date_of_birth", "postcode", "pnc_id"]
    new_rows: list[dict[str, Any]] = []
    records: dict[str, list[str]] = {}
    for position, count in zip(chosen.tolist(), copies.tolist(), strict=True):
        original = persons.iloc[position]
        records[original["person_id"]] = []
        for _ in range(count):
            record = original.to_dict() | {"person_id": next(new_ids)}
            given = {f: None if pd.isna(original[f]) else original[f] for f in fields}
            record |= _with_errors(rng, given)
            records[original["person_id"]].append(record["person_id"])
            new_rows.append(record)
    persons = pd.concat([persons, pd.DataFrame(new_rows, columns=persons.columns)])
    truth = dataset.ground_truth | {
        "duplicates": sorted(sorted([k, *v]) for k, v in records.items())
    }
    return replace(
        dataset,
        persons=persons.reset_index(drop=True),
        involvements=_split_involvements(rng, dataset.involvements, records),
        ground_truth=truth,
    )
