"""Screenshots of the impact partial (web/templates/_impact.html) in English and French,
desktop and phone, into docs/screenshots/.

No page includes the partial yet (the action plan pages do, next): it is rendered here into a
throw-away HTML page with cxgap's stylesheet, once measured (a segmented regression and a
difference-in-differences against a control segment) and once not started.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from pathlib import Path

from playwright.sync_api import sync_playwright

from cxgap.i18n import translate
from cxgap.impact import measure_impact
from cxgap.impact.did import difference_in_differences
from cxgap.impact.gap import Moved
from cxgap.impact.series import Point
from cxgap.impact.target import Metric, MetricTarget
from cxgap.impact.view import ImpactView, moved_of, reason_words
from cxgap.web.render import TEMPLATE_DIR, make_templates

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
CSS = TEMPLATE_DIR.parent / "static" / "cxgap.css"
WIDTHS = {"desktop": 1280, "phone": 390}
# Monthly NPS of the "pro" segment and of the untouched "home" segment (tests/impact/test_did.py)
TREATED = [
    42.19,
    36.61,
    41.75,
    40.98,
    42.78,
    41.96,
    43.99,
    42.14,
    47.78,
    49.4,
    49.52,
    48.87,
    49.3,
    50.76,
    51.05,
    49.91,
]
CONTROL = [
    34.56,
    33.13,
    37.62,
    35.63,
    37.8,
    37.0,
    39.13,
    38.94,
    37.78,
    39.48,
    36.86,
    39.81,
    36.82,
    39.31,
    40.48,
    39.77,
]
START = date(2025, 9, 1)


def monthly(values: list[float]) -> list[Point]:
    return [
        Point(date(2025 + i // 12, i % 12 + 1, 1), v, 180 + 7 * i) for i, v in enumerate(values)
    ]


def views() -> list[ImpactView]:
    target = MetricTarget(Metric.NPS, segment="pro")
    series, control = monthly(TREATED), monthly(CONTROL)
    impact = measure_impact(series, START)
    did = difference_in_differences(series, control, START)
    measured = ImpactView(
        target,
        START,
        "month",
        series,
        control,
        impact,
        did,
        moved_of(impact, target),
        control=MetricTarget(Metric.NPS, segment="home"),
    )
    waiting = ImpactView(
        MetricTarget(Metric.TOPIC_NEGATIVE_SHARE, topic="delivery"),
        date(2027, 1, 4),
        "month",
        [],
        moved=Moved.NOT_STARTED,
        reason=reason_words("not_started", date="2027-01-04"),
    )
    return [measured, waiting]


def page_html(locale: str) -> str:
    template = make_templates().env.get_template("_impact.html")
    t = partial(lambda loc, key, **p: translate(key, loc, **p), locale)
    parts = [template.render(impact_view=v, locale=locale, t=t) for v in views()]
    return (
        f'<!doctype html><html lang="{locale}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<style>{CSS.read_text(encoding='utf-8')}</style></head>"
        f'<body><main class="container results">{"".join(parts)}</main></body></html>'
    )


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium")
        for locale in ("en", "fr"):
            for name, width in WIDTHS.items():
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.set_content(page_html(locale))
                page.screenshot(path=str(OUT / f"impact_{locale}_{name}.png"), full_page=True)
                page.close()
        browser.close()


if __name__ == "__main__":
    main()
