import math
import random
import statistics

import numpy as np
import pytest

from cxgap.paths.durations import EXACT_LIMIT, RELATIVE_ACCURACY, DurationBuffer, DurationDigest


def digest_of(values: list[float]) -> DurationDigest:
    digest = DurationDigest()
    for value in values:
        digest.add(value)
    return digest


def test_small_sets_are_exact_like_numpy_and_statistics() -> None:
    values = [5.0, 1.0, 60.0, 7.0, 3600.0, 2.0]
    digest = digest_of(values)
    assert digest.median() == statistics.median(values) == 6.0
    # numpy's default (linear) percentile: rank 0.9 × 5 = 4.5 between 60 and 3600
    assert digest.p90() == pytest.approx(np.percentile(values, 90)) == pytest.approx(1830.0)
    assert digest_of([42.0]).quantile(0.9) == 42.0
    assert DurationDigest().median() is None


@pytest.mark.parametrize("zeros", [0, 30_000])
def test_many_durations_stay_within_the_stated_accuracy(zeros: int) -> None:
    rng = random.Random(3)
    values = [rng.lognormvariate(8, 2) for _ in range(60_000)] + [0.0] * zeros
    rng.shuffle(values)
    digest = digest_of(values)
    assert digest.count == len(values) > EXACT_LIMIT
    for q in (0.1, 0.5, 0.9, 0.99):
        exact = float(np.quantile(values, q))
        found = digest.quantile(q)
        assert found is not None
        if exact == 0.0:
            assert found == 0.0
        else:
            assert abs(found - exact) / exact <= RELATIVE_ACCURACY + 1e-9, q


def test_folded_digests_hold_few_counters() -> None:
    digest = digest_of([10 ** (i % 9) + i for i in range(50_000)])  # 1 s to ~3 years
    assert len(digest._buckets) < 2_500
    assert digest._exact is None
    assert math.isclose(digest.quantile(0.0) or 0, 1, rel_tol=RELATIVE_ACCURACY)


@pytest.mark.parametrize("sizes", [[3, 4], [EXACT_LIMIT, 1], [10, EXACT_LIMIT], [5000, 7, 900]])
def test_extending_ends_as_adding_one_by_one(sizes: list[int]) -> None:
    rng = random.Random(sum(sizes))
    chunks = [[rng.choice((0.0, 0.0004, 1.0, 59.0)) * rng.random() * 1e4 for _ in range(n)]
              for n in sizes]  # fmt: skip
    one_by_one, extended = digest_of([v for chunk in chunks for v in chunk]), DurationDigest()
    buffer = DurationBuffer(extended)
    for chunk in chunks:
        for value in chunk:
            buffer.append(value)
        buffer.flush()
    assert extended.count == one_by_one.count == sum(sizes)
    for q in (0.0, 0.25, 0.5, 0.9, 1.0):
        assert extended.quantile(q) == one_by_one.quantile(q)
    assert (extended._exact is None) == (sum(sizes) > EXACT_LIMIT)
