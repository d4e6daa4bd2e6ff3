"""The CDNOW files of tests/data/clv, read for the tests."""

from __future__ import annotations

import csv
import gzip
from functools import cache
from pathlib import Path

import numpy as np

from cxgap.clv import BgNbd, GammaGamma, fit_bgnbd, fit_gamma_gamma
from cxgap.clv.optimise import Vector
from tests.clv import references as ref

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


@cache
def cdnow_fits() -> tuple[BgNbd, GammaGamma]:
    """BG/NBD and Gamma-Gamma fitted on the published summary, once per process."""
    x, t_x, T, zbar = summary_columns()
    return fit_bgnbd(x, t_x, T), fit_gamma_gamma(x, zbar)


def chosen() -> tuple[Vector, Vector, Vector, Vector]:
    """x, t_x, T and m of the five customers of references.CUSTOMERS."""
    table = np.array(list(ref.CUSTOMERS.values()), dtype=float)
    return table[:, 0], table[:, 1], table[:, 2], table[:, 3]
