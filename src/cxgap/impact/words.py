"""An impact said in French or English: the method, the figures and the assumptions."""

from __future__ import annotations

import math

from cxgap.i18n import translate
from cxgap.i18n.numbers import format_decimal, format_signed
from cxgap.impact.result import SEGMENTED_REGRESSION, Estimate, Impact


def assumptions(impact: Impact, locale: str) -> str:
    return translate(f"impact.assumptions.{impact.method}", locale, lags=impact.hac_lags)


def sentences(impact: Impact, locale: str) -> str:
    """The readable summary ``--format text`` prints."""
    lines = [
        translate(
            f"impact.method.{impact.method}",
            locale,
            n_before=impact.n_before,
            n_after=impact.n_after,
            first_after=impact.first_after.isoformat(),
        )
    ]
    if impact.method == SEGMENTED_REGRESSION:
        lines.append(_estimate("impact.level", impact.level, locale))
        if impact.slope is not None:
            lines.append(_estimate("impact.slope", impact.slope, locale))
    elif math.isnan(impact.level.low):
        value = _number(impact.level.value, locale)
        lines.append(translate("impact.level_untested", locale, value=value))
    else:
        lines.append(_estimate("impact.level_ba", impact.level, locale))
    lines.append(assumptions(impact, locale))
    return "\n".join(lines)


def estimate_sentence(key: str, estimate: Estimate, locale: str) -> str:
    """The message ``key`` filled with the estimate, its interval and p, as the reader writes
    numbers (``value``, ``low``, ``high``, ``p``)."""
    return _estimate(key, estimate, locale)


def _estimate(key: str, estimate: Estimate, locale: str) -> str:
    return translate(
        key,
        locale,
        value=_number(estimate.value, locale),
        low=_number(estimate.low, locale),
        high=_number(estimate.high, locale),
        p=_p(estimate.p, locale),
    )


def number_text(value: float, locale: str) -> str:
    """A signed figure (``+6,49``), or "undefined"."""
    return _number(value, locale)


def p_text(value: float, locale: str) -> str:
    """``< 0.001`` or ``= 0.465``, or "undefined"."""
    return _p(value, locale)


def _number(value: float, locale: str) -> str:
    if not math.isfinite(value):
        return translate("impact.undefined", locale)
    return format_signed(value, locale)


def _p(value: float, locale: str) -> str:
    if not math.isfinite(value):
        return translate("impact.undefined", locale)
    if value < 0.001:
        return "< " + format_decimal(0.001, locale, decimals=3)
    return "= " + format_decimal(value, locale, decimals=3)
