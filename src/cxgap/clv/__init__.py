"""Customer lifetime value, pure: purchases into the calibration summary, the BG/NBD and
Gamma-Gamma models fitted by maximum likelihood, and their predictions (docs/retention.md)."""

from cxgap.clv.bgnbd import (
    BgNbd,
    conditional_expected_purchases,
    expected_purchases,
    fit_bgnbd,
    p_alive,
)
from cxgap.clv.fitting import ClvFit, fit_clv
from cxgap.clv.gamma_gamma import GammaGamma, expected_spend, fit_gamma_gamma
from cxgap.clv.optimise import Fit
from cxgap.clv.summary import Summary, summarise
from cxgap.clv.transactions import Columns, Purchases, read_purchases
from cxgap.clv.value import lifetime_value

__all__ = [
    "BgNbd",
    "ClvFit",
    "Columns",
    "Fit",
    "GammaGamma",
    "Purchases",
    "Summary",
    "conditional_expected_purchases",
    "expected_purchases",
    "expected_spend",
    "fit_bgnbd",
    "fit_clv",
    "fit_gamma_gamma",
    "lifetime_value",
    "p_alive",
    "read_purchases",
    "summarise",
]
