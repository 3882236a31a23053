"""Write validated tables to Neo4j: ``UNWIND $rows`` batches, nodes before relationships.

Every statement MERGEs on ids held unique by ``cypher/schema.cypher``, so writing the same
tables twice changes nothing, and a load cut off part-way (each batch is one all-or-nothing
transaction) reaches the same end state when run again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import neo4j
import pandas as pd
from tqdm import tqdm

from graphvc.db import read_cypher, run_query, run_write
from graphvc.model import ROLE_RELATIONSHIPS, quote_label

__all__ = ["existing_ids", "records", "write_tables"]


def records(frame: pd.DataFrame, columns: list[str]) -> list[dict[str, Any]]:
    """Rows as dicts of plain Python values, missing values as ``None``."""
    subset = frame[columns].astype(object)
    return subset.where(subset.notna(), None).to_dict("records")  # type: ignore[return-value]


def existing_ids(
    driver: neo4j.Driver, label: str, ids: set[str], *, database: str = "neo4j"
) -> set[str]:
    """Which of ``ids`` exist in the graph as ``label`` nodes."""
    if not ids:
        return set()
    query = read_cypher("load/existing_ids").replace("NODE_LABEL", quote_label(label))
    found = run_query(driver, query, {"ids": sorted(ids)}, database=database)
    return set(found["id"]) if len(found) else set()


def _steps(tables: Mapping[str, pd.DataFrame]) -> list[tuple[str, str, pd.DataFrame, list[str]]]:
    """(label for the progress bar, Cypher, rows, columns) in writing order."""
    steps: list[tuple[str, str, pd.DataFrame, list[str]]] = []
    if "locations" in tables:
        places = tables["locations"]
        boroughs = places.dropna(subset=["borough_code"]).drop_duplicates("borough_code")
        wards = places.dropna(subset=["ward_code"]).drop_duplicates("ward_code")
        steps += [
            ("boroughs", read_cypher("load/boroughs"), boroughs, ["borough_code", "borough_name"]),
            ("wards", read_cypher("load/wards"), wards, ["ward_code", "ward_name"]),
            ("locations", read_cypher("load/locations"), places,
             ["location_id", "name", "lsoa_code", "latitude", "longitude"]),
            ("ward→borough", read_cypher("load/ward_boroughs"),
             wards.dropna(subset=["borough_code"]), ["ward_code", "borough_code"]),
            ("location→ward", read_cypher("load/location_wards"),
             places.dropna(subset=["ward_code"]), ["location_id", "ward_code"]),
        ]  # fmt: skip
    if "persons" in tables:
        steps.append(
            ("persons", read_cypher("load/persons"), tables["persons"],
             ["person_id", "name", "age_band", "sex", "ethnicity"])
        )  # fmt: skip
    if "incidents" in tables:
        incidents = tables["incidents"]
        steps += [
            ("incidents", read_cypher("load/incidents"), incidents,
             ["incident_id", "occurred_at", "offence", "category", "weapon", "alcohol", "domestic",
              "hate", "harm", "outcome"]),
            ("incident→location", read_cypher("load/incident_locations"),
             incidents.dropna(subset=["location_id"]), ["incident_id", "location_id"]),
        ]  # fmt: skip
    if "involvements" in tables:
        template = read_cypher("load/involvements")
        involvements = tables["involvements"]
        for role, rel_type in ROLE_RELATIONSHIPS.items():
            of_role = involvements[involvements["role"] == role]
            if len(of_role):
                query = template.replace("ROLE_TYPE", quote_label(rel_type))
                steps.append((f"{role}s", query, of_role, ["person_id", "incident_id"]))
    if "associations" in tables:
        steps.append(
            ("associations", read_cypher("load/associations"), tables["associations"],
             ["person_a", "person_b", "type", "weight", "source"])
        )  # fmt: skip
    return steps


def write_tables(
    driver: neo4j.Driver,
    tables: Mapping[str, pd.DataFrame],
    *,
    database: str = "neo4j",
    batch_size: int = 5000,
    progress: bool = False,
) -> dict[str, int]:
    """Write validated contract tables to the graph; returns the summed update counters.

    Parameters
    ----------
    driver : neo4j.Driver
    tables : mapping of table name to DataFrame
        Valid, typed rows from :func:`loaders.validate.validate_table`.
    database : str
    batch_size : int
        Rows per transaction.
    progress : bool
        Show a progress bar per step on stderr.
    """
    totals: dict[str, int] = {}
    for label, query, frame, columns in _steps(tables):
        if frame.empty:
            continue
        with tqdm(
            total=len(frame),
            desc=f"load {label}",
            unit="row",
            disable=None if progress else True,
            leave=False,
        ) as bar:
            update: Callable[[int], object] = bar.update
            counters = run_write(
                driver,
                query,
                records(frame, columns),
                database=database,
                batch_size=batch_size,
                on_batch=update,
            )
        for key, value in counters.items():
            totals[key] = totals.get(key, 0) + value
    return totals
