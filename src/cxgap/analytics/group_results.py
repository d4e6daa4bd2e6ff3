"""Results per group (generation, customer segment, department), with small groups hidden.

Customer groups below ``min_group_size`` are suppressed because their NPS would be noise.
Departments below :data:`MIN_DEPARTMENT_SIZE` colleagues are suppressed to protect the people
in them (seed 002: VoC used to reward or punish staff gets gamed). A suppressed group shows
``{"suppressed": true}`` and nothing else, not even its size, and it is left out of the tests.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from cxgap.analytics.descriptive import Interval, summarize_counts, summarize_values
from cxgap.analytics.nps import compute_nps, nps_categories
from cxgap.analytics.results_json import (
    DepartmentJson,
    GroupJson,
    GroupTestJson,
    SuppressedDepartmentJson,
    SuppressedGroupJson,
    interval,
    number,
    whole,
)
from cxgap.errors import ValidationError

MIN_DEPARTMENT_SIZE = 3
TOP_PILLARS = 3


@dataclass(frozen=True)
class GroupResult:
    """NPS of one customer group and the pillars it finds most important."""

    n: int
    nps: float | None
    nps_ci: Interval | None
    top_pillars: list[str]

    def to_dict(self) -> GroupJson:
        return {
            "n": whole(self.n),
            "nps": number(self.nps),
            "nps_ci": interval(self.nps_ci),
            "top_pillars": list(self.top_pillars),
        }


@dataclass(frozen=True)
class SuppressedGroup:
    """A group too small to show; deliberately carries no numbers."""

    def to_dict(self) -> SuppressedGroupJson:
        return {"suppressed": True}


@dataclass(frozen=True)
class DepartmentResult:
    """Mean self-assessment total of one department."""

    department: str
    n: int
    total_mean: float | None
    total_ci: Interval | None
    suppressed: bool = False

    def to_dict(self) -> DepartmentJson | SuppressedDepartmentJson:
        if self.suppressed:
            return {"department": self.department, "suppressed": True}
        return {
            "department": self.department,
            "n": whole(self.n),
            "total_mean": number(self.total_mean),
            "total_ci": interval(self.total_ci),
        }


@dataclass(frozen=True)
class GroupTest:
    """A test that groups differ: Kruskal–Wallis (no ``df`` shown) or chi-square."""

    test: str
    statistic: float
    p: float
    df: int | None = None

    def to_dict(self) -> GroupTestJson:
        if self.df is None:
            return {"test": self.test, "statistic": number(self.statistic), "p": number(self.p)}
        return {
            "test": self.test,
            "statistic": number(self.statistic),
            "df": whole(self.df),
            "p": number(self.p),
        }


def check_min_group_size(min_group_size: int) -> int:
    """Refuse a minimum group size below 1.

    >>> check_min_group_size(30)
    30
    """
    if isinstance(min_group_size, bool) or int(min_group_size) != min_group_size:
        raise ValidationError.single("min_group_size", "must be a whole number", min_group_size)
    if min_group_size < 1:
        raise ValidationError.single("min_group_size", "must be at least 1", min_group_size)
    return int(min_group_size)


def top_pillars(
    importance_counts: Mapping[str, ArrayLike], pillar_keys: Sequence[str], k: int = TOP_PILLARS
) -> list[str]:
    """The ``k`` pillars with the highest mean importance; ties keep ``pillar_keys`` order.

    >>> top_pillars({"a": [0, 0, 0, 1, 0], "b": [0, 0, 0, 0, 1], "c": [1, 0, 0, 0, 0]},
    ...             ["a", "b", "c"], k=2)
    ['b', 'a']
    """
    means = []
    for position, key in enumerate(pillar_keys):
        if key in importance_counts:
            mean = summarize_counts(importance_counts[key]).mean
            if mean is not None:
                means.append((-mean, position, key))
    return [key for _, _, key in sorted(means)[:k]]


def summarize_groups(
    nps_by_group: Mapping[str, ArrayLike],
    importance_by_group: Mapping[str, Mapping[str, ArrayLike]],
    *,
    pillar_keys: Sequence[str],
    min_group_size: int,
    confidence: float = 0.95,
    order: Sequence[str] | None = None,
) -> dict[str, GroupResult | SuppressedGroup]:
    """Per-group NPS for every group with at least one answer, small groups suppressed.

    Groups come out in ``order`` when given (a key outside it is refused), else as given.

    Examples
    --------
    >>> big = [0] * 6 + [10] + [0] * 3 + [30]   # 10 detractors, 30 promoters
    >>> small = [0] * 10 + [5]
    >>> groups = summarize_groups({"b": big, "s": small, "e": [0] * 11}, {},
    ...                           pillar_keys=[], min_group_size=30)
    >>> {key: group.to_dict() for key, group in groups.items()}["s"]
    {'suppressed': True}
    >>> groups["b"].nps, list(groups)
    (50.0, ['b', 's'])
    """
    min_group_size = check_min_group_size(min_group_size)
    keys = list(nps_by_group)
    if order is not None:
        unknown = [key for key in keys if key not in order]
        if unknown:
            raise ValidationError.single("group", f"must be one of {list(order)}", unknown[0])
        keys = [key for key in order if key in nps_by_group]
    results: dict[str, GroupResult | SuppressedGroup] = {}
    for key in keys:
        nps = compute_nps(nps_by_group[key], confidence=confidence)
        if nps.n == 0:
            continue
        if nps.n < min_group_size:
            results[key] = SuppressedGroup()
            continue
        pillars = top_pillars(importance_by_group.get(key, {}), pillar_keys)
        results[key] = GroupResult(n=nps.n, nps=nps.score, nps_ci=nps.ci, top_pillars=pillars)
    return results


def nps_category_test(tables: Sequence[ArrayLike]) -> GroupTest | None:
    """Pearson chi-square test of independence of NPS category × group.

    Categories nobody chose are dropped; ``None`` with fewer than 2 groups or 2 categories.
    No Yates correction, so the statistic is the same formula whatever the table size.

    Examples
    --------
    >>> a = [0] * 6 + [10, 10, 0, 10, 0]      # 10 detractors, 10 passives, 10 promoters
    >>> b = [0] * 6 + [20, 5, 0, 5, 0]
    >>> r = nps_category_test([a, b])
    >>> r.test, r.df, round(r.statistic, 4)  # scipy chi2_contingency([[10, 10, 10], [5, 5, 20]])
    ('chi2', 2, 6.6667)
    """
    from scipy import stats

    if len(tables) < 2:
        return None
    matrix = np.array([nps_categories(table) for table in tables], dtype=np.int64)
    matrix = matrix[:, matrix.sum(axis=0) > 0]
    if matrix.shape[1] < 2:
        return None
    result = stats.chi2_contingency(matrix, correction=False)
    return GroupTest(
        test="chi2",
        statistic=float(result.statistic),
        p=float(result.pvalue),
        df=int(result.dof),
    )


def _department_members(
    totals: NDArray[np.float64], departments: Sequence[str]
) -> dict[str, NDArray[np.float64]]:
    labels = np.asarray(departments, dtype=object)
    complete = ~np.isnan(totals)
    names = sorted(set(departments), key=lambda name: (name.casefold(), name))
    return {name: totals[complete & (labels == name)] for name in names}


def _suppressed_names(members: Mapping[str, NDArray[np.float64]]) -> set[str]:
    hidden = {name for name, values in members.items() if values.size < MIN_DEPARTMENT_SIZE}
    exposed = [name for name, values in members.items() if 0 < values.size < MIN_DEPARTMENT_SIZE]
    shown = [name for name in members if name not in hidden]
    # One hidden department with people in it could be recovered from the overall mean minus
    # the shown ones, so the smallest shown department is hidden alongside it.
    if len(exposed) == 1 and shown:
        hidden.add(min(shown, key=lambda name: (members[name].size, name)))
    return hidden


def summarize_departments(
    totals: ArrayLike, departments: Sequence[str], *, confidence: float = 0.95
) -> list[DepartmentResult]:
    """Mean total per department, in alphabetical order, small departments suppressed.

    Only colleagues with a total (NaN = incomplete) count towards a department's size.

    >>> rows = summarize_departments([40, 42, 44, 30, 31, 33, 35], ["M"] * 3 + ["S"] * 4)
    >>> [(r.department, r.n, r.total_mean) for r in rows]
    [('M', 3, 42.0), ('S', 4, 32.25)]
    """
    values = np.asarray(totals, dtype=np.float64)
    if values.shape != (len(departments),):
        raise ValidationError.single("departments", "needs one per colleague", len(departments))
    members = _department_members(values, departments)
    hidden = _suppressed_names(members)
    results = []
    for name, group in members.items():
        if name in hidden:
            results.append(DepartmentResult(name, 0, None, None, suppressed=True))
            continue
        summary = summarize_values(group, confidence=confidence)
        results.append(DepartmentResult(name, summary.n, summary.mean, summary.ci))
    return results


def department_test(
    totals: ArrayLike, departments: Sequence[str], shown: Sequence[str]
) -> GroupTest | None:
    """Kruskal–Wallis test of totals across the ``shown`` departments.

    ``None`` with fewer than 2 departments shown or when every total is identical.

    >>> r = department_test([40, 42, 44, 30, 31, 33], ["M"] * 3 + ["S"] * 3, ["M", "S"])
    >>> r.test, round(r.statistic, 4)  # scipy.stats.kruskal([40, 42, 44], [30, 31, 33])
    ('kruskal', 3.8571)
    """
    from scipy import stats

    members = _department_members(np.asarray(totals, dtype=np.float64), departments)
    groups = [members[name] for name in shown if name in members]
    if len(groups) < 2 or np.ptp(np.concatenate(groups)) == 0:
        return None
    result = stats.kruskal(*groups)
    return GroupTest(test="kruskal", statistic=float(result.statistic), p=float(result.pvalue))
