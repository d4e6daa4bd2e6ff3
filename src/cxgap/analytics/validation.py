"""Refuse assessment inputs that cannot be right, naming the field, the row and the value.

The storage layer should never produce these; when it does, a clear error here beats a wrong
number on the results page.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from cxgap.analytics.descriptive import check_counts
from cxgap.analytics.inputs import AssessmentData, CustomerData, InternalData
from cxgap.errors import FieldProblem, ValidationError

PILLAR_SCALE = (1.0, 5.0)
SCALE_SIZES = {"nps_counts": 11, "csat_counts": 5, "ces_counts": 7}
# Enough bad cells to see the pattern without flooding the message.
MAX_CELL_PROBLEMS = 5


class _Table(NamedTuple):
    field: str
    counts: ArrayLike
    size: int
    pillar: str | None = None


def check_assessment_data(data: AssessmentData) -> None:
    """Raise :class:`~cxgap.errors.ValidationError` listing every problem found in ``data``."""
    keys = [pillar.key for pillar in data.pillars]
    problems = _duplicates(keys, "pillars")
    problems += _internal_problems(data.internal, set(keys))
    problems += _customer_problems(data.customer, set(keys))
    if problems:
        raise ValidationError(problems, summary="Invalid assessment input")


def _duplicates(keys: list[str], field: str) -> list[FieldProblem]:
    repeated = [key for key, count in Counter(keys).items() if count > 1]
    return [FieldProblem(field, "pillar key appears more than once", key) for key in repeated]


def _internal_problems(internal: InternalData, known: set[str]) -> list[FieldProblem]:
    problems = _duplicates(list(internal.pillar_keys), "internal.pillar_keys")
    problems += [
        FieldProblem("internal.pillar_keys", "not a pillar of this workspace", key)
        for key in internal.pillar_keys
        if key not in known
    ]
    current = np.asarray(internal.current)
    expected = (current.shape[0] if current.ndim else 0, len(internal.pillar_keys))
    for name in ("current", "desired", "rank"):
        shape = np.asarray(getattr(internal, name)).shape
        if shape != expected:
            message = f"expected a {expected[0]} × {expected[1]} matrix"
            problems.append(FieldProblem(f"internal.{name}", message, shape))
    if len(internal.departments) != expected[0]:
        problems.append(
            FieldProblem(
                "internal.departments", "needs one per colleague", len(internal.departments)
            )
        )
    problems += [
        FieldProblem("internal.departments", "must be text", department, row=row)
        for row, department in enumerate(internal.departments)
        if not isinstance(department, str)
    ][:MAX_CELL_PROBLEMS]
    if problems:
        return problems
    problems += _cell_problems(internal, "current", internal.current, _off_scale)
    problems += _cell_problems(internal, "desired", internal.desired, _off_scale)
    problems += _cell_problems(internal, "rank", internal.rank, _not_a_rank)
    return problems


def _off_scale(values: NDArray[np.float64]) -> NDArray[np.bool_]:
    low, high = PILLAR_SCALE
    with np.errstate(invalid="ignore"):
        return ~np.isnan(values) & ~((values >= low) & (values <= high))


def _not_a_rank(values: NDArray[np.float64]) -> NDArray[np.bool_]:
    with np.errstate(invalid="ignore"):
        return ~np.isnan(values) & ~(np.isfinite(values) & (values >= 1))


def _cell_problems(
    internal: InternalData,
    name: str,
    matrix: ArrayLike,
    is_bad: Callable[[NDArray[np.float64]], NDArray[np.bool_]],
) -> list[FieldProblem]:
    values = np.asarray(matrix, dtype=np.float64)
    rows, columns = np.nonzero(is_bad(values))
    message = "must be between 1 and 5" if name != "rank" else "must be a rank from 1"
    return [
        FieldProblem(
            f"{name}[{internal.pillar_keys[column]}]",
            message,
            float(values[row, column]),
            row=int(row),
        )
        for row, column in list(zip(rows, columns, strict=True))[:MAX_CELL_PROBLEMS]
    ]


def _customer_problems(customer: CustomerData, known: set[str]) -> list[FieldProblem]:
    problems = [
        FieldProblem(f"customer.{name}", "must not be negative", value)
        for name, value in (
            ("n_responses", customer.n_responses),
            ("generation_unknown_n", customer.generation_unknown_n),
        )
        if value < 0
    ]
    for table in _customer_tables(customer):
        problems += _table_problems(table, customer.n_responses, known)
    return problems


def _customer_tables(customer: CustomerData) -> Iterator[_Table]:
    for name, size in SCALE_SIZES.items():
        yield _Table(f"customer.{name}", getattr(customer, name), size)
    yield from _pillar_tables("customer.importance_counts", customer.importance_counts)
    yield from _pillar_tables("customer.performance_counts", customer.performance_counts)
    for kind in ("generation", "segment"):
        for group, counts in getattr(customer, f"nps_by_{kind}").items():
            yield _Table(f"customer.nps_by_{kind}[{group}]", counts, 11)
        for group, tables in getattr(customer, f"importance_by_{kind}").items():
            yield from _pillar_tables(f"customer.importance_by_{kind}[{group}]", tables)


def _pillar_tables(field: str, tables: Mapping[str, ArrayLike]) -> Iterator[_Table]:
    for key, counts in tables.items():
        yield _Table(f"{field}[{key}]", counts, 5, pillar=key)


def _table_problems(table: _Table, n_responses: int, known: set[str]) -> list[FieldProblem]:
    if table.pillar is not None and table.pillar not in known:
        return [FieldProblem(table.field, "not a pillar of this workspace", table.pillar)]
    try:
        total = int(check_counts(table.counts, table.size, table.field).sum())
    except ValidationError as error:
        return error.problems
    if total > n_responses:
        message = f"more answers than the {n_responses} responses"
        return [FieldProblem(table.field, message, total)]
    return []
