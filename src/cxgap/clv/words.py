"""A CLV fit said in French or English: what it was fitted on, and each model's estimates
and convergence (``cxgap clv fit --format text``)."""

from __future__ import annotations

from cxgap.clv.fitting import ClvFit
from cxgap.clv.optimise import Fit
from cxgap.i18n import translate
from cxgap.i18n.numbers import format_decimal


def sentences(result: ClvFit, locale: str) -> str:
    summary = result.summary
    lines = [
        translate(
            "clv.text.customers",
            locale,
            customers=format_decimal(len(summary.customers), locale, decimals=0),
            repeat=format_decimal(summary.repeat_customers, locale, decimals=0),
            rows=format_decimal(result.rows, locale, decimals=0),
            end=summary.calibration_end.isoformat(),
            unit=translate(f"clv.unit.{summary.time_unit}", locale),
        )
    ]
    bg = result.bgnbd
    figures = {
        name: _number(value, locale)
        for name, value in zip(("r", "alpha", "a", "b"), bg.params, strict=True)
    }
    lines.append(translate("clv.text.bgnbd", locale, **figures, **_fit(bg.fit, locale)))
    gg = result.gamma_gamma
    if gg is not None:
        mean = gg.mean_spend
        lines.append(
            translate(
                "clv.text.gamma_gamma",
                locale,
                customers=format_decimal(gg.customers, locale, decimals=0),
                p=_number(gg.p, locale),
                q=_number(gg.q, locale),
                v=_number(gg.v, locale),
                mean=_number(mean, locale)
                if mean != float("inf")
                else translate("clv.text.no_mean", locale),
                **_fit(gg.fit, locale),
            )
        )
    return "\n".join(lines)


def _number(value: float, locale: str) -> str:
    return format_decimal(value, locale, decimals=3 if abs(value) < 100 else 1)


def _fit(fit: Fit, locale: str) -> dict[str, str]:
    status = translate(
        "clv.text.converged", locale, agreeing=fit.agreeing_starts, starts=fit.starts
    )
    return {"ll": format_decimal(fit.log_likelihood, locale, decimals=2), "status": status}
