"""Synthetic data with known answers: seeded input tables with network structure planted in them.

:func:`generate` makes the six tables of the input contract on a :class:`Geography` and names
what it planted (co-offending groups and their brokers, crews, repeat and domestic victims,
escalating careers) and when, so that every measure of graphvc can be checked against a known
answer; :func:`write` saves them in a folder that ``graphvc load`` reads. The geography is
either :func:`synthetic_city`, invented from a seed and needing no data, or :func:`london`,
read from real public files.
"""

from graphvc.synth.city import synthetic_city
from graphvc.synth.geography import Geography, london
from graphvc.synth.planting import MAX_INCIDENTS, MIN_INCIDENTS, SyntheticDataset, generate
from graphvc.synth.writing import write

__all__ = [
    "MAX_INCIDENTS",
    "MIN_INCIDENTS",
    "Geography",
    "SyntheticDataset",
    "generate",
    "london",
    "synthetic_city",
    "write",
]
