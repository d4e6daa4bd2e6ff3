"""Small random helpers shared by the demo builders: quotas, scores, moments in time."""

from __future__ import annotations

import random
from collections.abc import Hashable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar

K = TypeVar("K", bound=Hashable)

# Answers arrive less often at the weekend (Monday = 0 … Sunday = 6).
WEEKDAY_WEIGHT = (1.0, 1.0, 0.95, 0.95, 0.9, 0.6, 0.45)


def allocate(n: int, shares: Mapping[K, float]) -> dict[K, int]:
    """Split ``n`` into whole counts proportional to ``shares`` (largest remainder).

    Quotas rather than independent draws keep every group's size within one of its target,
    whatever the seed, so the demo never shows a group suppressed by bad luck.

    >>> allocate(10, {"a": 0.55, "b": 0.45})
    {'a': 6, 'b': 4}
    """
    total = sum(shares.values())
    exact = {key: n * share / total for key, share in shares.items()}
    counts = {key: int(value) for key, value in exact.items()}
    by_remainder = sorted(exact, key=lambda key: exact[key] - counts[key], reverse=True)
    for key in by_remainder[: n - sum(counts.values())]:
        counts[key] += 1
    return counts


def shuffled_quota(rng: random.Random, n: int, shares: Mapping[K, float]) -> list[K]:
    """``n`` labels in the proportions of ``shares``, in random order."""
    labels = [key for key, count in allocate(n, shares).items() for _ in range(count)]
    rng.shuffle(labels)
    return labels


def to_scale(value: float, low: int, high: int) -> int:
    """Round a latent score onto a bounded answer scale."""
    return min(high, max(low, round(value)))


def weighted_choice(rng: random.Random, weights: Mapping[K, float]) -> K:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[key] for key in keys])[0]


def random_day(
    rng: random.Random,
    *,
    first: date,
    days: int,
    weekday_weights: Sequence[float] = WEEKDAY_WEIGHT,
) -> date:
    """A day in ``[first, first + days)``; ``weekday_weights`` (at most 1, Monday first) make
    weekends rarer."""
    while True:  # rejection sampling: a couple of draws on average
        day = first + timedelta(days=rng.randrange(days))
        if rng.random() < weekday_weights[day.weekday()]:
            return day


def random_moment(rng: random.Random, day: date, hour_weights: Sequence[float]) -> datetime:
    """A UTC moment on ``day``; ``hour_weights`` gives the chance of each hour 0–23."""
    hour = rng.choices(range(24), weights=hour_weights)[0]
    moment = time(hour, rng.randrange(60), rng.randrange(60))
    return datetime.combine(day, moment, tzinfo=UTC)
