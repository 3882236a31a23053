"""A report's manifest: parameters, versions, data counts and hashes, to trace every figure."""

from __future__ import annotations

import hashlib
import json
import platform
from collections.abc import Mapping
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from typing import Any

import pandas as pd

from graphvc import __version__, harm_index
from graphvc.runs import AnalysisParameters, AnalysisResult

__all__ = ["data_hash", "manifest", "run_manifest", "sha256", "versions"]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def data_hash(tables: Mapping[str, pd.DataFrame]) -> str:
    """One hash of the analysed tables' contents (rows in canonical order)."""
    digest = hashlib.sha256()
    for name in sorted(tables):
        frame = tables[name]
        digest.update(f"{name}:{','.join(map(str, frame.columns))}\n".encode())
        digest.update(
            pd.util.hash_pandas_object(frame.astype(str), index=False).to_numpy().tobytes()
        )
    return digest.hexdigest()


def versions(neo4j_version: Mapping[str, str]) -> dict[str, Any]:
    packages: dict[str, str | None] = {}
    for package in ("neo4j", "pandas", "numpy", "networkx", "igraph", "pyarrow"):
        try:
            packages[package] = package_version(package)
        except PackageNotFoundError:
            packages[package] = None
    return {
        "graphvc": __version__,
        "neo4j": dict(neo4j_version),
        "python": platform.python_version(),
        "packages": packages,
    }


def manifest(
    *,
    report: str,
    parameters: AnalysisParameters,
    top: int,
    pseudonymised: bool,
    key_id: str | None,
    harm_table_sha256: str,
    database: str,
    graph_counts: Mapping[str, int],
    data_hash: str,
    summary: Mapping[str, Any],
    versions: Mapping[str, Any],
    previous: str | None,
    options: Mapping[str, Any] | None = None,
    source: str | None = None,
) -> dict[str, Any]:
    """A report's manifest, without its ``files`` (added once they are written).

    ``config_hash`` is the SHA-256 of everything chosen rather than found: the analysis
    parameters, the list length, the report's own ``options`` (such as the review period),
    the pseudonymisation (and key fingerprint) and the harm
    table. Two reports with the same ``config_hash`` and ``data_hash`` made with the same
    versions have the same tables. No wall-clock time is recorded, so a rerun is
    byte-identical. ``source`` says where the run came from (a stored run, or analysed now).

    Examples
    --------
    >>> params = AnalysisParameters(as_of=pd.Timestamp("2025-01-03"))
    >>> m = manifest(report="centrality", parameters=params, top=10, pseudonymised=False, key_id=None,
    ...              harm_table_sha256="0" * 64, database="neo4j", graph_counts={},
    ...              data_hash="1" * 64, summary={}, versions={}, previous=None)
    >>> m["as_of"], m["parameters"]["top"], len(m["config_hash"])
    ('2025-01-03', 10, 64)
    """
    chosen = {**parameters.as_dict(), "top": top, "pseudonymised": pseudonymised, **(options or {})}
    config = {
        "report": report,
        "parameters": chosen,
        "pseudonym_key_id": key_id,
        "harm_table_sha256": harm_table_sha256,
    }
    return {
        "report": report,
        "as_of": parameters.moment.date().isoformat(),
        "parameters": chosen,
        "pseudonym_key_id": key_id,
        "previous_report": previous,
        "config_hash": sha256(json.dumps(config, sort_keys=True).encode("utf-8")),
        "harm_table_sha256": harm_table_sha256,
        "data": {
            "database": database,
            "graph": dict(graph_counts),
            "data_hash": data_hash,
            **({"source": source} if source is not None else {}),
            "analysis": dict(summary),
        },
        "versions": dict(versions),
    }


def run_manifest(
    result: AnalysisResult,
    *,
    report: str,
    top: int,
    pseudonymised: bool,
    key_id: str | None,
    database: str,
    neo4j_version: Mapping[str, str] | None,
    previous: str | None,
    options: Mapping[str, Any] | None = None,
    source: str | None = None,
) -> dict[str, Any]:
    """The :func:`manifest` of a report on the run ``result``: its parameters, the size and
    :func:`data_hash` of its tables and its summary, with the hash of the harm table in use
    and the :func:`versions` (of Neo4j: ``neo4j_version``, from
    :func:`graphvc.db.server_version`).
    """
    harm = harm_index.load_harm_table()
    return manifest(
        report=report,
        parameters=result.parameters,
        top=top,
        pseudonymised=pseudonymised,
        key_id=key_id,
        harm_table_sha256=sha256(harm.table.to_csv(index=False).encode("utf-8")),
        database=database,
        graph_counts={table: len(frame) for table, frame in result.tables.items()},
        data_hash=data_hash(result.tables),
        summary=result.summary,
        versions=versions(neo4j_version or {}),
        previous=previous,
        options=options,
        source=source,
    )
