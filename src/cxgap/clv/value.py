"""Customer lifetime value: the discounted spend each customer is expected to bring.

Over ``periods`` periods of ``period_length`` time units (those of the summary), period k
brings the purchases the BG/NBD model expects in it, E[Y(k·L)] - E[Y((k-1)·L)], each worth
the spend the Gamma-Gamma model expects of that customer, discounted by (1 + d)^k for a
discount rate d per period (the discrete form of Fader, Hardie & Lee 2005, "RFM and CLV").
"""

from __future__ import annotations

import numpy as np

from cxgap.clv.bgnbd import BgNbd, conditional_expected_purchases
from cxgap.clv.gamma_gamma import GammaGamma, expected_spend
from cxgap.clv.optimise import Vector
from cxgap.clv.summary import Summary


def lifetime_value(
    transactions: BgNbd,
    spend: GammaGamma,
    summary: Summary,
    *,
    periods: int,
    period_length: float,
    discount_rate: float,
) -> Vector:
    """Each customer's discounted expected spend over the horizon, in the order of
    ``summary.customers``."""
    if periods < 1 or period_length <= 0 or discount_rate <= -1:
        raise ValueError("periods ≥ 1, period_length > 0 and discount_rate > -1 are needed")
    x, t_x, big_t = summary.frequency, summary.recency, summary.T
    per_purchase = expected_spend(spend, x, summary.monetary)
    value = np.zeros_like(x)
    before = np.zeros_like(x)
    for k in range(1, periods + 1):
        upto = conditional_expected_purchases(transactions, k * period_length, x, t_x, big_t)
        value += (upto - before) * per_purchase / (1 + discount_rate) ** k
        before = upto
    return value
