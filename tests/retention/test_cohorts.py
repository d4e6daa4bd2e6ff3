"""Cohort tables on the log of tests/retention/logs.py, each cell counted by hand."""

from __future__ import annotations

import pytest

from cxgap.errors import ValidationError
from cxgap.retention.cohorts import retention
from cxgap.retention.history import purchase_history
from tests.retention.logs import shop_log

# Seen on 2025-06-30: cohorts 2025-01 (A, B), 2025-02 (C, D), 2025-03 (E), 2025-06 (F).
PURCHASE_BASIS = {
    # A bought in Jan, Feb, Apr; B in Jan only
    "2025-01": (2, [2, 1, 0, 1, 0, 0]),
    # C in Feb, Mar, Jun; D in Feb; July not observed yet
    "2025-02": (2, [2, 1, 0, 0, 1, None]),
    # E in Mar and May
    "2025-03": (1, [1, 0, 1, 0, None, None]),
    "2025-06": (1, [1, None, None, None, None, None]),
}
SURVIVAL_BASIS = {
    # A gone from 2025-04-01 (still counted in April), B from 2025-01-20
    "2025-01": (2, [2, 1, 1, 1, 0, 0]),
    # D cancelled on 2025-03-01 (counted in March), C stays
    "2025-02": (2, [2, 2, 1, 1, 1, None]),
    "2025-03": (1, [1, 1, 1, 1, None, None]),
    "2025-06": (1, [1, None, None, None, None, None]),
}


def _cells(table: dict[str, object]) -> dict[str, tuple[object, object]]:
    cohorts = table["cohorts"]
    assert isinstance(cohorts, list)
    return {row["cohort"]: (row["size"], row["active"]) for row in cohorts}


@pytest.mark.parametrize(
    ("basis", "expected"), [("purchase", PURCHASE_BASIS), ("survival", SURVIVAL_BASIS)]
)
def test_cohort_cells_match_the_hand_count(basis: str, expected: dict[str, object]) -> None:
    history = purchase_history(shop_log(), cancel_activities=("cancel",))
    result = retention(history, months=5, basis=basis, inactivity_days=90)
    assert _cells(result.overall.as_json()) == {k: (s, a) for k, (s, a) in expected.items()}
    assert result.overall.customers == 6


def test_shares_are_counts_over_the_cohort_size() -> None:
    history = purchase_history(shop_log(), cancel_activities=("cancel",))
    row = retention(history, months=5).overall.rows[0]
    assert row.shares == (1.0, 0.5, 0.0, 0.5, 0.0, 0.0)


def test_tables_by_group_and_the_customers_without_one() -> None:
    history = purchase_history(shop_log(), cancel_activities=("cancel",))
    result = retention(history, months=2, groups={"A": "x", "B": "y", "C": "x", "F": "x"})
    assert list(result.groups) == ["x", "y"]
    assert result.ungrouped == 2  # D and E
    x = _cells(result.groups["x"].as_json())
    assert x == {
        "2025-01": (1, [1, 1, 0]),
        "2025-02": (1, [1, 1, 0]),
        "2025-06": (1, [1, None, None]),
    }
    assert result.as_json()["ungrouped"] == 2


def test_bad_arguments_are_refused() -> None:
    history = purchase_history(shop_log())
    with pytest.raises(ValidationError, match="basis"):
        retention(history, basis="weekly")
    with pytest.raises(ValidationError, match="months"):
        retention(history, months=-1)
