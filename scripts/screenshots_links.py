"""Screenshots of a survey's links page (one signed link per shop or agent: the demo's six
shops and one typed in), in English and French, desktop and phone, into docs/screenshots/;
and of the integrity page's held bot answers after one honeypot post, into /tmp.

Runs cxgap on a throw-away database with the demo workspace (docs/integrity.md).
"""

from __future__ import annotations

from pathlib import Path

from scripts.screenshots_sessions import FIREFOX, OUT, PASSWORD, WIDTHS, served, sign_in
from tests.factories import customer_form

from cxgap.services import accounts, bot_answers, campaigns
from cxgap.services.core import Cxgap
from cxgap.services.demo import create_demo_workspace
from cxgap.services.workspaces import get_workspace


def setup(cx: Cxgap, _folder: Path) -> None:
    with cx.transaction() as session:
        create_demo_workspace(session)
        demo = get_workspace(session, "demo")
        accounts.create_user(session, email="ana@example.com", password=PASSWORD)
        accounts.set_membership(session, workspace=demo, email="ana@example.com", role="analyst")
        survey = campaigns.get_survey(session, demo, "pillars")
        spam = customer_form(
            website="http://spam.example", comment="Best prices, visit now", nps=10
        )
        bot_answers.hold(session, survey=survey, form=spam, agent="Lyon Part-Dieu")


def main() -> None:
    with served(setup) as (base, browser):
        ana = sign_in(browser, base, "ana@example.com", FIREFOX)
        for suffix, width in WIDTHS.items():
            for lang in ("en", "fr"):
                ana.set_viewport_size({"width": width, "height": 900})
                unit = "Bordeaux Mériadeck" if lang == "fr" else "Agent 7"
                ana.goto(f"{base}/w/demo/collect/surveys/pillars/links?unit={unit}&lang={lang}")
                path = OUT / f"survey-links-{lang}{suffix}.png"
                ana.screenshot(path=str(path), full_page=True)
                print(f"docs/screenshots/{path.name}")
                ana.goto(f"{base}/w/demo/integrity?lang={lang}")
                path = Path("/tmp") / f"integrity-bots-{lang}{suffix}.png"
                ana.locator("#bots").screenshot(path=str(path))
                print(path)


if __name__ == "__main__":
    main()
