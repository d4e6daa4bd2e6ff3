"""The Drivers page in words and as a chart: each driver read as a manager would say it, and
the diverging bar chart of the drivers' shares of R², placed by the sign of their difference.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cxgap.i18n import translate
from cxgap.reporting.charts import GapRow, diverging_bar_chart
from cxgap.reporting.formatting import format_number, format_percent
from cxgap.reporting.svg import ChartText


def driver_reading(driver: Any, view: Any, locale: str) -> list[str]:
    """A driver in sentences a manager reads: how often it is mentioned, how negative those
    mentions are, how the score differs, and the adjusted effect (or why it disagrees)."""

    def tr(key: str, **params: object) -> str:
        return translate(f"listening.drivers.{key}", locale, **params)

    unit = view.outcome or "nps"
    points = format_number(abs(driver.difference), locale, decimals=1)
    sentences = [tr("read_mentions", share=format_percent(driver.prevalence, locale))]
    if driver.name in view.negative_shares:
        share = format_percent(view.negative_shares[driver.name], locale)
        sentences.append(tr("read_negative", share=share))
    way = "higher" if driver.direction > 0 else "lower" if driver.direction < 0 else "same"
    sentences.append(
        tr(
            f"read_{way}_{unit}",
            points=points,
            mean_with=format_number(driver.mean_with, locale, decimals=1),
            mean_without=format_number(driver.mean_without, locale, decimals=1),
        )
    )
    adjusted = format_number(driver.adjusted, locale, decimals=1, signed=True)
    key = "read_confounded" if driver.confounded else "read_adjusted"
    sentences.append(tr(key, adjusted=tr(f"unit_{unit}", value=adjusted)))
    return sentences


def drivers_chart(view: Any, names: Mapping[str, str], locale: str) -> str:
    analysis = view.analysis
    total = analysis.r_squared or 1.0
    rows = []
    for driver in analysis.drivers:
        signed = driver.direction * (driver.share or 0.0) * 100
        low = high = None
        if driver.ci is not None:
            bounds = sorted(driver.direction * b / total * 100 for b in driver.ci)
            low, high = bounds
        rows.append(
            GapRow(
                label=names.get(driver.name, driver.name) + (" †" if driver.confounded else ""),
                value=signed,
                low=low,
                high=high,
                value_text=format_percent(driver.share, locale),
                significant=driver.ci is not None and driver.ci[0] > 0.001,
            )
        )
    chart = ChartText(
        "drivers",
        translate("listening.drivers.chart_title", locale),
        translate("listening.drivers.chart_desc", locale),
    )
    return diverging_bar_chart(
        rows,
        chart,
        locale=locale,
        negative_label=translate("listening.drivers.lowers", locale),
        positive_label=translate("listening.drivers.raises", locale),
        significance_note=translate("listening.drivers.significance", locale),
        positive_color="#009E73",
        negative_color="#D55E00",
    )
