"""Writing a synthetic dataset to a folder that ``graphvc load`` reads, with its ground truth."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

import numpy as np

from graphvc.errors import ConfigError
from graphvc.synth.planting import SyntheticDataset

__all__ = ["GROUND_TRUTH_FILE", "write"]

#: The file beside the tables that says what was planted in them.
GROUND_TRUTH_FILE = "ground_truth.json"


def write(
    dataset: SyntheticDataset,
    out_dir: Path,
    file_format: Literal["csv", "parquet"] = "csv",
) -> None:
    """Write the six tables and ``ground_truth.json`` into ``out_dir`` (created if missing).

    Parameters
    ----------
    dataset : SyntheticDataset
        What :func:`~graphvc.synth.planting.generate` made.
    out_dir : Path
        The folder; files of the same names are overwritten.
    file_format : {"csv", "parquet"}
        CSV (UTF-8, header, no index, booleans as ``true``/``false``) or Parquet.

    Raises
    ------
    ConfigError
        If ``file_format`` is neither.

    Examples
    --------
    >>> import tempfile
    >>> from graphvc.synth import generate, synthetic_city
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     write(generate(1000, seed=1, geography=synthetic_city(1)), Path(folder))
    ...     sorted(path.name for path in Path(folder).iterdir())
    ['associations.csv', 'ground_truth.json', 'incidents.csv', 'involvements.csv', 'locations.csv', 'persons.csv', 'risk_assessments.csv']
    """
    if file_format not in ("csv", "parquet"):
        raise ConfigError(f"file_format={file_format!r} must be 'csv' or 'parquet'")
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, frame in dataset.tables.items():
        path = out_dir / f"{name}.{file_format}"
        if file_format == "csv":
            booleans = frame.select_dtypes(bool).columns
            words = {column: np.where(frame[column], "true", "false") for column in booleans}
            frame.assign(**words).to_csv(path, index=False)
        else:
            frame.to_parquet(path, index=False)
    (out_dir / GROUND_TRUTH_FILE).write_text(
        json.dumps(dataset.ground_truth, indent=1) + "\n", encoding="utf-8"
    )
