"""How the lifetime values and the value at risk were computed, said in French or English
(for the value page and its JSON twin)."""

from __future__ import annotations

from cxgap.i18n import translate
from cxgap.i18n.numbers import format_decimal, format_percent
from cxgap.retention.value import CustomerValues, ValueAtRisk


def how_computed(values: CustomerValues, locale: str) -> str:
    horizon = values.horizon
    return translate(
        "retention.value.how",
        locale,
        periods=format_decimal(horizon.periods, locale, decimals=0),
        length=format_decimal(horizon.period_length, locale, decimals=3),
        unit=translate(f"clv.unit.{horizon.time_unit}", locale),
        rate=format_percent(horizon.discount_rate, locale, decimals=1),
        customers=format_decimal(len(values.values), locale, decimals=0),
        end=values.fit.summary.calibration_end.isoformat(),
    )


def at_risk(values: CustomerValues, risk: ValueAtRisk, locale: str) -> str:
    if risk.scored == 0:
        return translate("retention.value.no_scores", locale)
    return translate(
        "retention.value.at_risk",
        locale,
        detractors=format_decimal(risk.detractors.customers, locale, decimals=0),
        scored=format_decimal(risk.scored, locale, decimals=0),
        total=format_decimal(risk.detractors.total, locale, decimals=0),
        share=format_percent(risk.detractors.share, locale, decimals=1),
        everyone=format_decimal(values.total, locale, decimals=0),
        customers=format_decimal(len(values.values), locale, decimals=0),
    )
