"""How a figure moved from one period to the next, with a confidence interval for the change.

Both periods are independent samples (different answers), so:

* NPS: difference of two trinomial means (+1 promoter, 0 passive, −1 detractor), Wald
  interval with the two variances added, z test (the interval of ``nps.nps_interval``,
  extended to a difference);
* a mean score (CSAT, CES): Welch's t (``gaps.compare_means``);
* a share (negative verbatims): Newcombe's interval and Fisher's exact test
  (``gaps.share_gap``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from cxgap.analytics.descriptive import Interval, check_confidence, z_value
from cxgap.analytics.gaps import GapResult

NPS_CHANGE_TEST = "wald_nps_difference"


@dataclass(frozen=True)
class NpsSample:
    """The three NPS categories' counts of one period."""

    promoters: int
    passives: int
    detractors: int

    @property
    def n(self) -> int:
        return self.promoters + self.passives + self.detractors

    @property
    def score(self) -> float | None:
        return 100.0 * (self.promoters - self.detractors) / self.n if self.n else None

    def variance(self) -> float:
        """Of one answer scored +1 / 0 / −1 (in NPS points squared / 100²)."""
        p, d = self.promoters / self.n, self.detractors / self.n
        return max(0.0, p + d - (p - d) ** 2)


def nps_change(after: NpsSample, before: NpsSample, *, confidence: float = 0.95) -> GapResult:
    """NPS ``after − before`` in points, Wald interval and two-sided z test.

    Examples
    --------
    >>> r = nps_change(NpsSample(50, 30, 20), NpsSample(40, 30, 30))
    >>> r.diff, [round(x, 3) for x in r.ci], round(r.p, 4)
    (20.0, [-2.347, 42.347], 0.0794)

    By hand: variances 0.7 − 0.3² = 0.61 and 0.7 − 0.1² = 0.69, se = 100 × √(0.0061 + 0.0069)
    = 11.4018; 20 ± 1.959964 × 11.4018; p = 2 × scipy.stats.norm.sf(20 / 11.4018) = 0.07941.
    """
    from scipy import stats

    check_confidence(confidence)
    if after.n == 0 or before.n == 0:
        return GapResult(diff=None, ci=None, p=None, test=NPS_CHANGE_TEST)
    diff = float(after.score or 0.0) - float(before.score or 0.0)
    se = 100.0 * math.sqrt(after.variance() / after.n + before.variance() / before.n)
    if se == 0.0:  # every answer in one category on both sides: nothing to test against
        return GapResult(diff=diff, ci=(diff, diff), p=None, test=NPS_CHANGE_TEST)
    half = z_value(confidence) * se
    ci: Interval = (max(-200.0, diff - half), min(200.0, diff + half))
    p = float(2.0 * stats.norm.sf(abs(diff) / se))
    return GapResult(diff=diff, ci=ci, p=p, test=NPS_CHANGE_TEST)
