"""Installing the reference data: validated whole, then published under a lock.

Nothing is written unless every file passes :func:`~graphvc.reference.catalogue.validate_files`;
the files, the derived outlines and a manifest are then written in a hidden folder beside
``GRAPHVC_HOME/reference`` and swapped into place, so that an install is never seen half done.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from graphvc import __version__
from graphvc.errors import ConfigError, InputError
from graphvc.files import fsync_folder, locked
from graphvc.reference.catalogue import (
    MANIFEST,
    REFERENCE_FILES,
    reference_file,
    validate_files,
)
from graphvc.reference.download import MAX_DOWNLOAD_BYTES, download_files
from graphvc.reference.outlines import derive_outlines, outline_path

__all__ = ["install_download", "install_from"]


def _publish(home: Path, files: Mapping[str, bytes]) -> Path:
    """Write ``files`` (relative path -> bytes) as ``home/reference``, replacing it whole.

    They are written and flushed in a hidden folder beside it, which is then renamed into
    place; the previous install is renamed away first and removed last, so a failure at any
    step leaves it (or, after the swap, the new one) complete.
    """
    target = home / "reference"
    try:
        home.mkdir(parents=True, exist_ok=True)
        with locked(home / ".reference.lock"):
            # Under the lock, a staging folder can only be left over from a killed install.
            for leftover in home.glob(".reference-*"):
                shutil.rmtree(leftover, ignore_errors=True)
            token = secrets.token_hex(4)
            staged = home / f".reference-new-{token}"
            try:
                for relative, data in files.items():
                    path = staged / relative
                    path.parent.mkdir(parents=True, exist_ok=True)
                    with path.open("wb") as handle:
                        handle.write(data)
                        handle.flush()
                        os.fsync(handle.fileno())
                for folder in {staged / relative for relative in files}:
                    fsync_folder(folder.parent)
                if target.exists():
                    replaced = home / f".reference-old-{token}"
                    target.rename(replaced)
                    try:
                        staged.rename(target)
                    except OSError:
                        replaced.rename(target)
                        raise
                    shutil.rmtree(replaced, ignore_errors=True)
                else:
                    staged.rename(target)
                fsync_folder(home)
            finally:
                shutil.rmtree(staged, ignore_errors=True)
    except OSError as e:
        raise ConfigError(f"cannot install reference data into {target}: {e}") from e
    return target


def _install(
    home: Path,
    contents: Mapping[str, bytes],
    origins: Mapping[str, str],
    about: Mapping[str, Any],
) -> dict[str, Any]:
    """Validate ``contents`` (name -> bytes, from ``origins``), derive the outlines and
    publish them with a manifest that holds ``about`` (the install's source)."""
    parsed = validate_files(contents, origins)
    derived = derive_outlines(parsed["lsoa_lookup"], parsed["lsoa_centroids"])
    files: dict[str, bytes] = {}
    entries: dict[str, dict[str, Any]] = {}
    for spec in REFERENCE_FILES:
        if spec.name not in contents:
            continue
        table = parsed[spec.name]
        files[spec.path] = contents[spec.name]
        entries[spec.path] = {
            "name": spec.name,
            "dataset": spec.dataset,
            "rows": len(table) if spec.is_table else None,
            "sha256": hashlib.sha256(contents[spec.name]).hexdigest(),
            "bytes": len(contents[spec.name]),
            "source": origins[spec.name],
            "publisher": spec.publisher,
            "licence": spec.licence,
        }
    # The outlines are derived from ONS data, so they carry the lookup's publisher and licence.
    lookup_spec, centroids_spec = reference_file("lsoa_lookup"), reference_file("lsoa_centroids")
    for level, collection in derived.items():
        data = json.dumps(collection, separators=(",", ":")).encode("utf-8")
        files[outline_path(level)] = data
        entries[outline_path(level)] = {
            "name": f"{level}_outlines",
            "dataset": f"Approximate {level} outlines: Voronoi cells of the LSOA centroids",
            "rows": len(collection["features"]),
            "sha256": hashlib.sha256(data).hexdigest(),
            "bytes": len(data),
            "source": f"derived by graphvc from {lookup_spec.path} and {centroids_spec.path}",
            "publisher": f"graphvc, from {lookup_spec.publisher} data",
            "licence": lookup_spec.licence,
        }
    manifest = {
        "graphvc_version": __version__,
        "installed_at": datetime.now(UTC).isoformat(timespec="seconds"),
        **about,
        "files": entries,
    }
    files[MANIFEST] = (json.dumps(manifest, indent=1) + "\n").encode("utf-8")
    _publish(Path(home), files)
    return manifest


def install_from(source: Path, home: Path) -> dict[str, Any]:
    """Validate the reference files in folder ``source`` and install them in ``home/reference``.

    Nothing is written unless every file passes; the previous install is then replaced
    whole: a failure leaves the previous install as it was. The approximate ward and borough outlines are derived
    (:func:`derive_outlines`) and installed beside them.

    Parameters
    ----------
    source : Path
        A folder laid out as :data:`REFERENCE_FILES` declares.
    home : Path
        ``GRAPHVC_HOME``.

    Returns
    -------
    dict
        The manifest written: ``graphvc_version``, ``installed_at`` (UTC, ISO 8601),
        ``source`` (the folder) and ``files``: relative path -> ``name``, ``dataset``,
        ``rows``, ``sha256``, ``bytes``, ``source``, ``publisher``, ``licence``.

    Raises
    ------
    InputError
        Naming the file, row, column and value of the first problem.
    ConfigError
        If ``home`` cannot be written.
    """
    folder = Path(source).absolute()
    if not folder.is_dir():
        raise InputError(f"{folder} is not a folder of reference data")
    contents: dict[str, bytes] = {}
    origins: dict[str, str] = {}
    for spec in REFERENCE_FILES:
        path = folder / spec.path
        try:
            contents[spec.name] = path.read_bytes()
        except FileNotFoundError:
            if spec.required:
                raise InputError(f"{path} is missing: it is a required reference file") from None
            continue
        except OSError as e:
            raise InputError(f"{path} cannot be read: {e.strerror}") from None
        origins[spec.name] = str(path)
    return _install(home, contents, origins, {"source": str(folder)})


def install_download(
    home: Path,
    urls: Mapping[str, str] | None = None,
    *,
    sha256: Mapping[str, str] | None = None,
    verify: bool = True,
    timeout: float = 60,
    max_bytes: int = MAX_DOWNLOAD_BYTES,
) -> dict[str, Any]:
    """Download the reference files over HTTP(S), verify them and install them.

    Every required file is fetched from its URL (``urls[name]``, else the publisher's
    address in :data:`REFERENCE_FILES`); an optional file only when ``urls`` names it. Each
    download must be at most ``max_bytes`` and, unless ``verify`` is false, have the
    expected sha256 (``sha256[name]``, else the pinned one). The files are then validated
    and installed exactly as by :func:`install_from`; nothing is written unless all pass.

    The pinned checksums are those of the London extracts graphvc was built with. The
    publishers' own downloads cover England and Wales, or are web pages, so they fail the
    check: point ``urls`` (``GRAPHVC_REFERENCE_URL_<NAME>``) at copies of the extracts.

    Parameters
    ----------
    home : Path
        ``GRAPHVC_HOME``.
    urls : Mapping[str, str], optional
        File name -> URL, e.g. :attr:`graphvc.config.Settings.reference_urls`.
    sha256 : Mapping[str, str], optional
        File name -> expected sha256, e.g.
        :func:`~graphvc.reference.download.reference_checksums` of the environment.
    verify : bool
        Whether to check the checksums (``--no-verify`` turns it off; the manifest says so).
    timeout : float
        Seconds to wait for each server.
    max_bytes : int
        The largest download accepted.

    Returns
    -------
    dict
        The manifest, as :func:`install_from` returns it, with ``source`` ``"download"``,
        each file's URL as its source, and ``verified``.

    Raises
    ------
    InputError
        Naming the URL, when a host is unreachable, answers with an HTTP error, sends too
        much or a file with another checksum; or naming the file, row and value when a file
        fails validation.
    ConfigError
        If a URL or checksum names no reference file, or a URL is not http(s).
    """
    contents, origins = download_files(
        urls, sha256, verify=verify, timeout=timeout, max_bytes=max_bytes
    )
    return _install(home, contents, origins, {"source": "download", "verified": verify})
