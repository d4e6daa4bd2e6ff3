"""Per-group results, suppression of small groups and the tests across groups."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from cxgap.analytics.generations import GENERATION_KEYS
from cxgap.analytics.group_results import (
    GroupResult,
    SuppressedGroup,
    check_min_group_size,
    department_test,
    nps_category_test,
    summarize_departments,
    summarize_groups,
    top_pillars,
)
from cxgap.analytics.nps import compute_nps
from cxgap.errors import ValidationError


def nps_table(detractors: int, passives: int, promoters: int) -> list[int]:
    return [0] * 6 + [detractors, passives, 0, promoters, 0]


def test_shown_groups_carry_their_nps_and_top_pillars() -> None:
    gen_x = nps_table(10, 15, 25)
    importance = {
        "gen_x": {
            "service": [0, 0, 0, 10, 40],
            "friction": [0, 0, 0, 40, 10],
            "products": [0, 0, 50, 0, 0],
            "advertising": [50, 0, 0, 0, 0],
        }
    }
    groups = summarize_groups(
        {"gen_x": gen_x},
        importance,
        pillar_keys=["advertising", "products", "friction", "service"],
        min_group_size=30,
    )
    reference = compute_nps(gen_x)
    assert groups["gen_x"].to_dict() == {
        "n": 50,
        "nps": 30.0,
        "nps_ci": list(reference.ci or ()),
        "top_pillars": ["service", "friction", "products"],
    }


def test_groups_below_the_minimum_show_nothing_but_the_flag() -> None:
    groups = summarize_groups(
        {"silent": nps_table(5, 5, 19), "boomers": nps_table(10, 10, 10)},
        {},
        pillar_keys=[],
        min_group_size=30,
    )
    assert groups["silent"].to_dict() == {"suppressed": True}
    assert isinstance(groups["boomers"], GroupResult)  # exactly the minimum is shown


def test_groups_without_answers_are_left_out_and_order_is_the_cohorts() -> None:
    groups = summarize_groups(
        {"gen_z": nps_table(1, 1, 40), "boomers": nps_table(40, 0, 0), "gen_x": [0] * 11},
        {},
        pillar_keys=[],
        min_group_size=30,
        order=GENERATION_KEYS,
    )
    assert list(groups) == ["boomers", "gen_z"]


def test_an_unknown_cohort_is_refused() -> None:
    with pytest.raises(ValidationError, match="gen_omega"):
        summarize_groups(
            {"gen_omega": nps_table(1, 1, 1)},
            {},
            pillar_keys=[],
            min_group_size=1,
            order=GENERATION_KEYS,
        )


@pytest.mark.parametrize("bad", [0, -5, 2.5, True])
def test_min_group_size_must_be_a_positive_whole_number(bad: object) -> None:
    with pytest.raises(ValidationError, match="min_group_size"):
        check_min_group_size(bad)  # type: ignore[arg-type]


def test_top_pillars_skip_pillars_without_answers_and_break_ties_by_order() -> None:
    tables = {"a": [0, 0, 1, 0, 0], "b": [0, 0, 0, 0, 0], "c": [0, 0, 1, 0, 0]}
    assert top_pillars(tables, ["a", "b", "c", "d"]) == ["a", "c"]


def test_category_test_matches_scipy_without_yates() -> None:
    tables = [nps_table(30, 40, 50), nps_table(45, 30, 25), nps_table(20, 20, 60)]
    result = nps_category_test(tables)
    # scipy.stats.chi2_contingency([[50, 40, 30], [25, 30, 45], [60, 20, 20]], correction=False)
    reference = stats.chi2_contingency([[50, 40, 30], [25, 30, 45], [60, 20, 20]], correction=False)
    assert result is not None
    assert result.to_dict() == {
        "test": "chi2",
        "statistic": pytest.approx(reference.statistic),
        "df": 4,
        "p": pytest.approx(reference.pvalue),
    }


def test_category_test_drops_categories_nobody_chose() -> None:
    result = nps_category_test([nps_table(10, 0, 30), nps_table(20, 0, 20)])
    # chi2_contingency([[30, 10], [20, 20]], correction=False): df 1, statistic 5.333
    assert result is not None
    assert result.df == 1
    assert result.statistic == pytest.approx(5.333333, abs=1e-6)


def test_category_test_needs_two_groups_and_two_categories() -> None:
    assert nps_category_test([nps_table(10, 10, 10)]) is None
    assert nps_category_test([nps_table(0, 0, 30), nps_table(0, 0, 40)]) is None


def test_departments_below_three_are_hidden_with_their_partner() -> None:
    totals = [40, 41, 42, 30, 31, 33, 35, 20, 21, 22, 23, 24, 45, 46]
    departments = ["Marketing"] * 3 + ["Sales"] * 4 + ["Support"] * 5 + ["Legal"] * 2
    shown = [row.to_dict() for row in summarize_departments(totals, departments)]
    # Legal (2) is hidden; so is Marketing, the smallest shown department, or Legal's total
    # could be worked out from the overall mean.
    assert shown == [
        {"department": "Legal", "suppressed": True},
        {"department": "Marketing", "suppressed": True},
        {
            "department": "Sales",
            "n": 4,
            "total_mean": 32.25,
            "total_ci": pytest.approx(
                stats.t.interval(0.95, 3, 32.25, stats.sem([30, 31, 33, 35]))
            ),
        },
        {
            "department": "Support",
            "n": 5,
            "total_mean": 22.0,
            "total_ci": pytest.approx(
                stats.t.interval(0.95, 4, 22.0, stats.sem([20, 21, 22, 23, 24]))
            ),
        },
    ]


def test_two_small_departments_cover_each_other() -> None:
    totals = [40, 41, 42, 30, 31, 33, 45, 46, 47]
    departments = ["M"] * 3 + ["S"] * 3 + ["L"] + ["P"] * 2
    rows = {row.department: row for row in summarize_departments(totals, departments)}
    assert [name for name, row in rows.items() if row.suppressed] == ["L", "P"]


def test_incomplete_colleagues_do_not_count_towards_a_department() -> None:
    rows = summarize_departments([40.0, np.nan, 42.0], ["M", "M", "M"])
    assert rows[0].suppressed


def test_department_test_matches_scipy_kruskal() -> None:
    totals = [40, 42, 44, 30, 31, 33, 35, 38, 39, 41]
    departments = ["M"] * 3 + ["S"] * 4 + ["T"] * 3
    result = department_test(totals, departments, ["M", "S", "T"])
    # scipy.stats.kruskal([40, 42, 44], [30, 31, 33, 35], [38, 39, 41])
    reference = stats.kruskal([40, 42, 44], [30, 31, 33, 35], [38, 39, 41])
    assert result is not None
    assert result.to_dict() == {
        "test": "kruskal",
        "statistic": pytest.approx(reference.statistic),
        "p": pytest.approx(reference.pvalue),
    }


def test_department_test_only_over_shown_departments() -> None:
    totals = [40, 42, 44, 30, 31, 33, 10]
    departments = ["M"] * 3 + ["S"] * 3 + ["L"]
    assert department_test(totals, departments, ["M"]) is None
    assert department_test([40, 40, 40, 40, 40, 40], ["M"] * 3 + ["S"] * 3, ["M", "S"]) is None


group_sizes = st.dictionaries(
    st.sampled_from(GENERATION_KEYS),
    st.lists(st.integers(0, 20), min_size=11, max_size=11),
    max_size=len(GENERATION_KEYS),
)


@settings(deadline=None, max_examples=150)
@given(group_sizes, st.integers(1, 120))
def test_suppression_never_leaks_a_small_group(
    tables: dict[str, list[int]], min_group_size: int
) -> None:
    groups = summarize_groups(tables, {}, pillar_keys=[], min_group_size=min_group_size)
    for key, counts in tables.items():
        n = sum(counts)
        if n == 0:
            assert key not in groups
        elif n < min_group_size:
            assert isinstance(groups[key], SuppressedGroup)
            assert groups[key].to_dict() == {"suppressed": True}
        else:
            assert groups[key].to_dict()["n"] == n


departments_strategy = st.lists(
    st.tuples(st.sampled_from(["A", "B", "C", "D", "E"]), st.integers(10, 50)),
    min_size=0,
    max_size=40,
)


@settings(deadline=None, max_examples=150)
@given(departments_strategy)
def test_a_small_department_can_never_be_worked_out(colleagues: list[tuple[str, int]]) -> None:
    names = [c[0] for c in colleagues]
    totals = [float(c[1]) for c in colleagues]
    rows = summarize_departments(totals, names)
    sizes = {name: names.count(name) for name in set(names)}
    hidden_with_people = [r.department for r in rows if r.suppressed and sizes[r.department]]
    for row in rows:
        if sizes[row.department] < 3:
            assert row.to_dict() == {"department": row.department, "suppressed": True}
    # A lone hidden department would equal the overall total minus the shown ones.
    small = [name for name, size in sizes.items() if size < 3]
    if small and any(not r.suppressed for r in rows):
        assert len(hidden_with_people) >= 2
