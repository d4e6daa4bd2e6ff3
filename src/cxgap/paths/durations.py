"""Median and 90th percentile of durations in bounded memory.

A digest keeps its first ``EXACT_LIMIT`` durations as they are, so small logs get exact
quantiles (linear interpolation between order statistics, NumPy's default and
``statistics.median``). Past that it folds them into logarithmic buckets (the DDSketch
layout): each bucket spans a factor ``(1 + α) / (1 − α)``, so any quantile it gives is within
``α`` = 0.5 % of the exact one, and a bucket per 1 % of range holds durations from a
millisecond to a century in under 3,000 counters whatever the number of events.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Sequence

EXACT_LIMIT = 4096
RELATIVE_ACCURACY = 0.005
RESOLUTION_S = 0.001  # durations under a millisecond count as zero once folded
_GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY)
_LOG_GAMMA = math.log(_GAMMA)


class DurationDigest:
    """Durations in seconds, added one by one; quantiles on demand."""

    __slots__ = ("_buckets", "_exact", "_zeros", "count")

    def __init__(self) -> None:
        self._exact: array[float] | None = array("d")  # 8 bytes a duration
        self._buckets: Counter[int] = Counter()
        self._zeros = 0
        self.count = 0

    def add(self, seconds: float) -> None:
        self.count += 1
        if self._exact is not None:
            self._exact.append(seconds)
            if len(self._exact) > EXACT_LIMIT:
                folded, self._exact = self._exact, None
                for value in folded:
                    self._fold(value)
            return
        self._fold(seconds)

    def extend(self, values: Sequence[float]) -> None:
        """``add`` each of ``values`` (the same digest, in one step)."""
        self.count += len(values)
        if self._exact is not None:
            if len(self._exact) + len(values) <= EXACT_LIMIT:
                self._exact.extend(values)
                return
            folded, self._exact = [*self._exact, *values], None
            values = folded
        log, ceil, gamma, low = math.log, math.ceil, _LOG_GAMMA, RESOLUTION_S
        indexes = [ceil(log(value) / gamma) for value in values if value >= low]
        self._zeros += len(values) - len(indexes)
        self._buckets.update(indexes)

    def quantile(self, q: float) -> float | None:
        """The ``q`` quantile (0–1), None when there is no duration."""
        if not self.count:
            return None
        rank = q * (self.count - 1)
        low, high = math.floor(rank), math.ceil(rank)
        if self._exact is not None:
            ordered = sorted(self._exact)
            below, above = ordered[low], ordered[high]
        else:
            below, above = self._ranked(low, high)
        return below + (rank - low) * (above - below)

    def median(self) -> float | None:
        return self.quantile(0.5)

    def p90(self) -> float | None:
        return self.quantile(0.9)

    def _fold(self, seconds: float) -> None:
        if seconds < RESOLUTION_S:
            self._zeros += 1
        else:
            self._buckets[math.ceil(math.log(seconds) / _LOG_GAMMA)] += 1

    def _ranked(self, low: int, high: int) -> tuple[float, float]:
        """The folded values of ranks ``low`` and ``high`` (0-based, ascending)."""
        found: list[float] = []
        seen = self._zeros
        for wanted in (low, high):
            if wanted < self._zeros:
                found.append(0.0)
        if len(found) == 2:
            return found[0], found[1]
        for index in sorted(self._buckets):
            seen += self._buckets[index]
            while len(found) < 2 and (low, high)[len(found)] < seen:
                found.append(2 * _GAMMA**index / (_GAMMA + 1))
            if len(found) == 2:
                break
        return found[0], found[1]


class DurationBuffer:
    """Durations bound for a digest, appended to a plain list and added in one step
    (``DurationDigest.extend``) when the owner flushes it: the digest ends as if each had
    been added alone, in a fraction of the time."""

    __slots__ = ("_values", "append", "digest")

    def __init__(self, digest: DurationDigest) -> None:
        self.digest = digest
        self._values: list[float] = []
        self.append = self._values.append

    def flush(self) -> None:
        self.digest.extend(self._values)
        self._values.clear()
