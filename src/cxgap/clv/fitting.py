"""The whole fit of ``cxgap clv fit``: purchases → calibration summary → BG/NBD, and
Gamma-Gamma when the purchases have amounts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from cxgap.clv.bgnbd import BgNbd, fit_bgnbd
from cxgap.clv.gamma_gamma import GammaGamma, fit_gamma_gamma
from cxgap.clv.summary import Summary, last_day, summarise
from cxgap.clv.transactions import Purchases, refuse


@dataclass(frozen=True)
class ClvFit:
    """The summary the models were fitted on, and the models."""

    summary: Summary
    bgnbd: BgNbd
    gamma_gamma: GammaGamma | None
    rows: int

    def as_json(self) -> dict[str, object]:
        """The contract's keys (``bgnbd``, ``gamma_gamma`` with amounts, ``customers``) and
        what the fit was made on."""
        document: dict[str, object] = {"bgnbd": self.bgnbd.as_json()}
        if self.gamma_gamma is not None:
            document["gamma_gamma"] = self.gamma_gamma.as_json()
        summary = self.summary
        document |= {
            "customers": len(summary.customers),
            "repeat_customers": summary.repeat_customers,
            "calibration_end": summary.calibration_end.isoformat(),
            "time_unit": summary.time_unit,
            "rows": self.rows,
        }
        return document


def fit_clv(purchases: Purchases, calibration_end: date | None, time_unit: str) -> ClvFit:
    """Fit on the calibration period (up to and including ``calibration_end``, by default
    the last purchase day); refuses a period with no purchase or no repeat purchase."""
    end = calibration_end or last_day(purchases.days)
    summary = summarise(purchases.days, end, time_unit)
    if not summary.customers:
        refuse("--calibration-end", "no_calibration", end.isoformat())
    if summary.repeat_customers == 0:
        refuse("--calibration-end", "no_repeat", end.isoformat())
    if purchases.has_amounts:
        _require_spend(summary)
    bgnbd = fit_bgnbd(summary.frequency, summary.recency, summary.T)
    spend = None
    if purchases.has_amounts:
        spend = fit_gamma_gamma(summary.frequency, summary.monetary)
    return ClvFit(summary, bgnbd, spend, purchases.rows)


def _require_spend(summary: Summary) -> None:
    """Gamma-Gamma reads a repeat customer's mean spend on a log scale: 0 cannot be used."""
    nothing = np.flatnonzero((summary.frequency > 0) & (summary.monetary <= 0))
    if len(nothing):
        first = summary.customers[int(nothing[0])]
        refuse("--amount-column", "zero_spend", None, count=len(nothing), customer=first)
