"""The CDNOW files of tests/data/clv, read for the tests."""

from __future__ import annotations

import csv
import gzip
from functools import cache
from pathlib import Path

import numpy as np

from cxgap.clv.optimise import Vector

DATA = Path(__file__).resolve().parents[1] / "data" / "clv"
SAMPLE = DATA / "cdnow_sample.csv.gz"


@cache
def published_summary() -> dict[str, tuple[int, float, float, float]]:
    """Customer id -> (x, t_x, T, zbar) of the published 39-week summary."""
    with gzip.open(DATA / "cdnow_summary.csv.gz", "rt", encoding="utf-8", newline="") as f:
        return {
            row["ID"]: (int(row["x"]), float(row["t_x"]), float(row["T"]), float(row["zbar"]))
            for row in csv.DictReader(f)
        }


def summary_columns() -> tuple[Vector, Vector, Vector, Vector]:
    """x, t_x, T and zbar as arrays, in the file's order."""
    table = np.array(list(published_summary().values()), dtype=float)
    return table[:, 0], table[:, 1], table[:, 2], table[:, 3]
