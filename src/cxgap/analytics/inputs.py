"""What the assessment computation needs, gathered by the storage layer.

Customer answers arrive as count tables (histograms): for bounded integer scales they are
sufficient statistics, so a million answers cost no more memory than a hundred.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

Counts = NDArray[np.int64]
"""Counts per scale point: index 0 is the lowest score (1 for 1–5 scales, 0 for NPS)."""


@dataclass(frozen=True)
class PillarInfo:
    key: str
    name_en: str
    name_fr: str
    retired: bool = False


@dataclass(frozen=True)
class InternalData:
    """Colleagues' self-assessments: one row per respondent, one column per pillar.

    Cells are NaN where a respondent did not score a pillar (e.g. added later).
    """

    pillar_keys: list[str]
    current: NDArray[np.float64]
    desired: NDArray[np.float64]
    rank: NDArray[np.float64]  # 1 = the pillar customers value most, in this colleague's view
    departments: list[str]

    @property
    def n(self) -> int:
        return int(self.current.shape[0])


@dataclass(frozen=True)
class CustomerData:
    """Customer survey answers as count tables."""

    n_responses: int
    importance_counts: dict[str, Counts]  # pillar key -> 5 counts (scores 1..5)
    performance_counts: dict[str, Counts]  # pillar key -> 5 counts
    nps_counts: Counts  # 11 counts (0..10)
    csat_counts: Counts  # 5 counts (1..5)
    ces_counts: Counts  # 7 counts (1..7)
    nps_by_generation: dict[str, Counts] = field(default_factory=dict)  # generation key -> 11
    nps_by_segment: dict[str, Counts] = field(default_factory=dict)  # segment key -> 11
    # group key -> pillar key -> 5 importance counts (priorities differ by generation, seed 000)
    importance_by_generation: dict[str, dict[str, Counts]] = field(default_factory=dict)
    importance_by_segment: dict[str, dict[str, Counts]] = field(default_factory=dict)
    generation_unknown_n: int = 0


@dataclass(frozen=True)
class AssessmentData:
    pillars: list[PillarInfo]
    internal: InternalData
    customer: CustomerData
    segment_names: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (en, fr)


def empty_counts(size: int) -> Counts:
    return np.zeros(size, dtype=np.int64)
