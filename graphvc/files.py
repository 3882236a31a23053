"""Small file-system guarantees shared by the folders graphvc publishes (reports, reference
data): a lock that serialises writers, and an fsync of a folder so a rename survives a crash."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["fsync_folder", "locked"]


def fsync_folder(folder: Path) -> None:
    """Flush ``folder``'s entries to disk, so a file renamed into it stays renamed."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@contextmanager
def locked(lock_file: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``lock_file`` (created when missing) while the block runs."""
    with lock_file.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
