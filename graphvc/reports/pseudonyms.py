"""Pseudonyms: a keyed hash in place of every person id of a report.

The same id and key always give the same pseudonym, so a person can be followed from one
report to the next; without the key the id cannot be recovered or guessed and checked.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

import pandas as pd

from graphvc.errors import ConfigError

__all__ = ["MIN_KEY_LENGTH", "key_id", "person_names", "pseudonym", "pseudonymise_ids"]

#: The shortest pseudonym key accepted: a short key could be found by trying every key.
MIN_KEY_LENGTH = 16


def pseudonym(person_id: str, key: str) -> str:
    """The keyed pseudonym of a person: ``"X"`` and the first 16 hex digits of
    HMAC-SHA256(key, id).

    The same id and key always give the same pseudonym, so a person can be followed from
    one report to the next; without the key the id cannot be recovered or guessed and
    checked. 64 bits make a collision among a million people a one-in-36-million chance
    (and :func:`pseudonymise_ids` refuses one).

    Examples
    --------
    >>> pseudonym("P1", "a key of sixteen+")
    'Xa687428b137413ea'

    References
    ----------
    .. [1] Krawczyk, H., Bellare, M., & Canetti, R. (1997). *HMAC: keyed-hashing for
       message authentication*. RFC 2104. doi:10.17487/RFC2104
    """
    digest = hmac.new(key.encode("utf-8"), str(person_id).encode("utf-8"), hashlib.sha256)
    return "X" + digest.hexdigest()[:16]


def key_id(key: str) -> str:
    """A fingerprint of the pseudonym key, to tell whether two reports used the same one."""
    return hmac.new(key.encode("utf-8"), b"graphvc pseudonym key", hashlib.sha256).hexdigest()[:12]


def pseudonymise_ids(ids: pd.Series | pd.Index, key: str) -> pd.Series:
    """``ids`` replaced by their :func:`pseudonym` (missing values kept).

    Raises :class:`ConfigError` in the (one-in-billions) case that two ids share one.
    """
    values = pd.Series(ids, dtype="string")
    known = values.dropna().unique()
    mapping = {value: pseudonym(value, key) for value in known}
    if len(set(mapping.values())) < len(mapping):
        raise ConfigError("two person ids share a pseudonym: choose another GRAPHVC_PSEUDONYM_KEY")
    return values.map(mapping, na_action="ignore").astype("string")


def person_names(tables: Mapping[str, pd.DataFrame], key: str | None) -> dict[str, str]:
    """How a report names every person of the run's ``tables``: their :func:`pseudonym`
    under ``key``, or their own id when ``key`` is None."""
    every_id = (
        pd.Index(pd.concat([tables["persons"]["person_id"], tables["involvements"]["person_id"]]))
        .astype("string")
        .dropna()
        .unique()
    )
    shown = pseudonymise_ids(every_id, key) if key else every_id
    return dict(zip(every_id, shown, strict=True))
