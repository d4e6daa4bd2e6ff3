import pytest

from cxgap.paths.rework import loops_of, rework
from tests.paths.builders import plain


def test_loops_of_one_path() -> None:
    assert loops_of(["a", "a", "b", "a", "c"]) == {
        "a": (3, True, True),
        "b": (1, False, False),
        "c": (1, False, False),
    }
    assert loops_of(["x", "y", "x"])["x"] == (2, False, True)


def test_rework_rates_per_activity() -> None:
    result = rework(plain([["a", "a", "b"], ["a", "b", "a"], ["a", "b"], ["c", "b", "b", "b"]]))
    rows = {row.activity: row for row in result.activities}
    assert (result.cases, result.cases_with_loop) == (4, 3)
    a, b, c = rows["a"], rows["b"], rows["c"]
    assert (a.cases, a.repeated_cases, a.direct_cases, a.after_others_cases) == (3, 2, 1, 1)
    assert a.extra_events == 2
    assert a.rate == pytest.approx(2 / 3)
    assert (b.cases, b.repeated_cases, b.direct_cases, b.after_others_cases) == (4, 1, 1, 0)
    assert b.extra_events == 2
    assert (c.cases, c.rate) == (1, 0.0)
    assert [row.activity for row in result.activities] == ["a", "b", "c"]
