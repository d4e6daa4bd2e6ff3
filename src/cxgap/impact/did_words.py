"""A difference-in-differences said in French or English: the method, the effect, the check of
the trends before the action, and the assumption of parallel trends."""

from __future__ import annotations

import math

from cxgap.i18n import translate
from cxgap.impact.did import MIN_PER_SIDE, DiD
from cxgap.impact.words import estimate_sentence

# Below this p-value the slopes before the action differ: the parallel-trends check fails.
PRE_TREND_ALPHA = 0.05


def did_assumption(did: DiD, locale: str) -> str:
    if did.hac_lags is None:
        return translate("impact_view.did.assumption_short", locale)
    return translate("impact_view.did.assumption", locale, lags=did.hac_lags)


def did_sentences(did: DiD, locale: str) -> list[str]:
    """The method, the effect and the pre-period check, then the assumption; or why there is
    not enough data yet."""
    if did.effect is None or did.first_after is None:
        return [
            translate(
                "impact_view.did.not_enough",
                locale,
                n_before=did.n_before,
                n_after=did.n_after,
                min=MIN_PER_SIDE,
            )
        ]
    method = translate(
        "impact_view.did.method",
        locale,
        n_before=did.n_before,
        n_after=did.n_after,
        first_after=did.first_after.isoformat(),
    )
    lines = [method, estimate_sentence("impact_view.did.effect", did.effect, locale)]
    lines.append(pre_trend_sentence(did, locale))
    return [*lines, did_assumption(did, locale)]


def pre_trend_sentence(did: DiD, locale: str) -> str:
    trend = did.pre_trend
    if trend is None or not math.isfinite(trend.p):
        return translate("impact_view.did.pre_trend_untested", locale)
    key = "diverging" if trend.p < PRE_TREND_ALPHA else "parallel"
    return estimate_sentence(f"impact_view.did.pre_trend_{key}", trend, locale)


def parallel_trends_hold(did: DiD) -> bool | None:
    """False when the slopes before the action differ at p < 0.05; None when untested."""
    trend = did.pre_trend
    if trend is None or not math.isfinite(trend.p):
        return None
    return trend.p >= PRE_TREND_ALPHA
