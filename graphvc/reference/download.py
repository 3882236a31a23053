"""Fetching the reference files over HTTP(S), within a size limit, and checking their sha256."""

from __future__ import annotations

import hashlib
import http.client
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping

from graphvc import __version__
from graphvc.config import REFERENCE_URL_PREFIX
from graphvc.errors import ConfigError, InputError
from graphvc.reference.catalogue import REFERENCE_FILES, REFERENCE_SHA256_PREFIX, keyed_by_file

__all__ = ["MAX_DOWNLOAD_BYTES", "download_files", "reference_checksums"]

#: A downloaded file larger than this is refused: the real files are under 1 MB each.
MAX_DOWNLOAD_BYTES = 100_000_000


def reference_checksums(env: Mapping[str, str]) -> dict[str, str]:
    """The checksum settings ``GRAPHVC_REFERENCE_SHA256_<NAME>`` of ``env``, keyed by name.

    Read here rather than in :class:`~graphvc.config.Settings` because they only mean
    something beside the pins of :data:`REFERENCE_FILES`.

    Examples
    --------
    >>> reference_checksums({"GRAPHVC_REFERENCE_SHA256_LSOA_LOOKUP": "AB" * 32, "HOME": "/"})
    {'lsoa_lookup': 'abababababababababababababababababababababababababababababababab'}
    """
    checksums = keyed_by_file(
        {
            name.removeprefix(REFERENCE_SHA256_PREFIX).lower(): value.strip().lower()
            for name, value in env.items()
            if name.startswith(REFERENCE_SHA256_PREFIX) and value
        },
        REFERENCE_SHA256_PREFIX,
    )
    for name, value in checksums.items():
        if not re.fullmatch(r"[0-9a-f]{64}", value):
            raise ConfigError(
                f"{REFERENCE_SHA256_PREFIX}{name.upper()}={value!r} is not a sha256 "
                "(64 hexadecimal digits)"
            )
    return checksums


def _fetch(url: str, timeout: float, max_bytes: int) -> bytes:
    """The body at ``url``, refused when larger than ``max_bytes``; every failure an
    :class:`~graphvc.errors.InputError` naming the URL."""
    request = urllib.request.Request(url, headers={"User-Agent": f"graphvc/{__version__}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data: bytes = response.read(max_bytes + 1)
    except urllib.error.HTTPError as e:
        e.close()
        raise InputError(f"cannot download {url}: HTTP {e.code} {e.reason}") from None
    except urllib.error.URLError as e:
        raise InputError(f"cannot download {url}: {e.reason}") from None
    except (OSError, http.client.HTTPException) as e:
        raise InputError(f"cannot download {url}: {e}") from None
    if len(data) > max_bytes:
        raise InputError(f"cannot download {url}: larger than {max_bytes:,} bytes")
    return data


def download_files(
    urls: Mapping[str, str] | None,
    sha256: Mapping[str, str] | None,
    *,
    verify: bool,
    timeout: float,
    max_bytes: int,
) -> tuple[dict[str, bytes], dict[str, str]]:
    """The reference files fetched, as :func:`~graphvc.reference.install.install_download`
    describes: name -> bytes, and name -> the URL each came from.

    Raises
    ------
    InputError
        Naming the URL, when a host is unreachable, answers with an HTTP error, sends too
        much or a file with another checksum.
    ConfigError
        If a URL or checksum names no reference file, or a URL is not http(s).
    """
    chosen = keyed_by_file(urls, REFERENCE_URL_PREFIX)
    expected = keyed_by_file(sha256, REFERENCE_SHA256_PREFIX)
    contents: dict[str, bytes] = {}
    origins: dict[str, str] = {}
    for spec in REFERENCE_FILES:
        url = chosen.get(spec.name) or (spec.url if spec.required else None)
        if url is None:
            continue
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise ConfigError(
                f"{REFERENCE_URL_PREFIX}{spec.name.upper()}={url!r} is not an http(s) URL"
            )
        data = _fetch(url, timeout, max_bytes)
        pinned = expected.get(spec.name, spec.sha256)
        actual = hashlib.sha256(data).hexdigest()
        if verify and actual != pinned:
            raise InputError(
                f"{url}: sha256 {actual} is not the expected {pinned}: set "
                f"{REFERENCE_SHA256_PREFIX}{spec.name.upper()} to accept another file, "
                "or use --no-verify"
            )
        contents[spec.name] = data
        origins[spec.name] = url
    return contents, origins
