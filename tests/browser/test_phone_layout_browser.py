"""Every page of the demo reads on a 390 px phone, in English and in French: the page itself
never scrolls sideways (wide tables, charts and the journey board scroll inside their own
frame), the journey editor says that editing is a desktop task, and the survey's 0–10 buttons
are at least 44 px wide."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from tests.demo_prepared import prepare_demo
from tests.factories import PASSWORD
from tests.prepared import Prepared

from cxgap.services import campaigns
from cxgap.services.core import Cxgap
from cxgap.services.demo import SEGMENT_RULES
from cxgap.services.taxonomy import default_taxonomy
from cxgap.services.workspaces import get_workspace
from cxgap.web.app import create_app

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page
    from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser
FEEDBACK = Path(__file__).resolve().parents[1] / "data" / "feedback"

PHONE = {"width": 390, "height": 844}
SEGMENT = next(iter(SEGMENT_RULES))
TOPIC = default_taxonomy()[0].key

# Every HTML page the app serves (its GET routes with an HTML response), with the demo's
# address for it; a new page must be added here, or excluded below with the reason.
PAGES = {
    "/": "/",
    "/account": "/account",
    "/w/{key}": "/w/demo",
    "/w/{key}/results": "/w/demo/results",
    "/w/{key}/integrity": "/w/demo/integrity",
    "/w/{key}/report.html": "/w/demo/report.html",
    "/w/{key}/gaps": "/w/demo/gaps",
    "/w/{key}/reports/executive": "/w/demo/reports/executive",
    "/w/{key}/pillars": "/w/demo/pillars",
    "/w/{key}/members": "/w/demo/members",
    "/w/{key}/collect": "/w/demo/collect",
    "/w/{key}/import": "/w/demo/import",
    "/w/{key}/import/feedback": "/w/demo/import/feedback",
    "/w/{key}/events/import": "/w/demo/events/import",
    "/w/{key}/segments": "/w/demo/segments",
    "/w/{key}/ideas": "/w/demo/ideas",
    "/w/{key}/community/tags": "/w/demo/community/tags",
    "/w/{key}/community/levels": "/w/demo/community/levels",
    "/w/{key}/community/badges": "/w/demo/community/badges",
    "/w/{key}/community/board": "/w/demo/community/board",
    "/w/{key}/community/badges/new": "/w/demo/community/badges/new",
    "/w/{key}/community/badges/{badge_id}": "/w/demo/community/badges/1",
    "/w/{key}/ideas/{idea_id}": "/w/demo/ideas/1",  # linked to a plan done and a case
    "/community/{key}/ideas": "/community/demo/ideas",
    "/community/{key}/ideas/new": "/community/demo/ideas/new",
    "/community/{key}/ideas/{idea_id}": "/community/demo/ideas/1",  # the demo's first idea
    "/w/{key}/ideas/{idea_id}/evidence": "/w/demo/ideas/1/evidence",
    "/community/{key}/roadmap": "/community/demo/roadmap",
    "/community/{key}/changelog": "/community/demo/changelog",
    "/community/{key}/leaderboard": "/community/demo/leaderboard",
    "/community/{key}/help": "/community/demo/help",
    "/community/{key}/help/articles/{article_id}": "/community/demo/help/articles/1",
    "/community/{key}/help/questions": "/community/demo/help/questions",
    "/community/{key}/help/questions/{question_id}": "/community/demo/help/questions/1",
    "/w/{key}/help": "/w/demo/help",
    "/w/{key}/help/articles/new": "/w/demo/help/articles/new",
    "/w/{key}/help/articles/{article_id}": "/w/demo/help/articles/1",
    "/w/{key}/segments/{segment_key}": f"/w/demo/segments/{SEGMENT}",
    "/w/{key}/listening": "/w/demo/listening",
    "/w/{key}/listening/topics": "/w/demo/listening/topics",
    "/w/{key}/listening/trends": "/w/demo/listening/trends",
    "/w/{key}/listening/drivers": "/w/demo/listening/drivers",
    "/w/{key}/listening/taxonomy": "/w/demo/listening/taxonomy",
    "/w/{key}/listening/taxonomy/{topic_key}": f"/w/demo/listening/taxonomy/{TOPIC}",
    "/w/{key}/listening/emerging": "/w/demo/listening/emerging",
    "/w/{key}/paths": "/w/demo/paths",
    "/w/{key}/paths/conformance": "/w/demo/paths/conformance",
    "/w/{key}/retention": "/w/demo/retention",
    "/w/{key}/value": "/w/demo/value",
    "/w/{key}/personas": "/w/demo/personas",
    "/w/{key}/personas/new": "/w/demo/personas/new",
    "/w/{key}/personas/{persona_key}": "/w/demo/personas/claire",
    "/w/{key}/personas/{persona_key}/edit": "/w/demo/personas/claire/edit",
    "/w/{key}/journeys": "/w/demo/journeys",
    "/w/{key}/journeys/new": "/w/demo/journeys/new",
    "/w/{key}/journeys/{journey_key}": "/w/demo/journeys/claire-current",
    "/w/{key}/journeys/{journey_key}/edit": "/w/demo/journeys/claire-current/edit",
    "/w/{key}/journeys/{journey_key}/compare": "/w/demo/journeys/claire-current/compare",
    "/w/{key}/journey-import": "/w/demo/journey-import",
    "/s/{token}": "/s/{survey}",
    "/s/{token}/thanks": "/s/{survey}/thanks",
    "/a/{token}": "/a/{campaign}",
    "/w/{key}/results/method": "/w/demo/results/method",
    "/w/{key}/results/response-rates": "/w/demo/results/response-rates",
    "/w/{key}/integrations": "/w/demo/integrations",
    "/w/{key}/collect/surveys/{survey_key}/mail": "/w/demo/collect/surveys/{survey_key}/mail",
    "/w/{key}/collect/surveys/{survey_key}/links": "/w/demo/collect/surveys/{survey_key}/links",
    "/audit": "/audit",
    "/w/{key}/jobs": "/w/demo/jobs",
    "/w/{key}/cases": "/w/demo/cases",
    "/w/{key}/cases/rules": "/w/demo/cases/rules",
    "/w/{key}/cases/{number}": "/w/demo/cases/1",
    "/w/{key}/actions": "/w/demo/actions",
    "/w/{key}/actions/new": "/w/demo/actions/new",
    "/w/{key}/actions/{action_id}": "/w/demo/actions/3",
    "/w/{key}/actions/{action_id}/edit": "/w/demo/actions/3/edit",
    "/w/{key}/case-imports": "/w/demo/case-imports",
    "/w/{key}/service-levels": "/w/demo/service-levels",
    "/w/{key}/service-levels/{section}": "/w/demo/service-levels/policies",
    "/w/{key}/service-levels/accounts": "/w/demo/service-levels/accounts",
    "/w/{key}/service-levels/incidents": "/w/demo/service-levels/incidents",
    "/w/{key}/service-levels/credits": "/w/demo/service-levels/credits",
    "/menu/{slug}": "/menu/demo",
    "/w/{key}/ownership": "/w/demo/ownership",
    "/w/{key}/teams/{team_key}/digest": "/w/demo/teams/care/digest",
}
NOT_VISITED = {
    "/login": "visited logged out, before the others",
    "/w/{key}/listening/emerging/status": "an htmx fragment inside the Emerging topics page",
    "/w/{key}/listening/enrichment": "an htmx fragment inside the Listening pages",
    "/w/{key}/listening/exact/{job_id}": "an htmx fragment of a broad search's exact figures "
    "job inside the Listening pages",
    "/w/{key}/import/feedback/{token}": "needs an uploaded file: test_an_import_reads_on_a_phone",
    "/w/{key}/import/feedback/{token}/progress": "an htmx fragment of the import page",
    "/w/{key}/events/import/jobs/{job_id}": "an htmx fragment of the event import page "
    "(scripts/screenshots_events.py photographs the page with it at phone width)",
    "/w/{key}/import/feedback/imports/{import_id}": "a finished import: the same test",
    "/a/{token}/result": "needs a submitted self-assessment: the public browser tests",
    "/api/docs": "English only (Swagger UI and the API's descriptions), so not in the en/fr "
    "walk: test_api_docs_browser.py checks that it fits a phone",
    "/invite/{token}": "needs a member invitation: tests/browser/test_mail_browser.py",
    "/optout/{token}": "needs a mailed survey link: tests/browser/test_mail_browser.py",
    "/community/unsubscribe/{token}": "needs a mailed notice's link: "
    "tests/services/test_idea_notifications.py and the board's browser test",
    "/community/preferences/{token}": "the same mailed link's preferences page",
    "/community/{key}/people/{slug}": "a random address made when a badge is awarded: "
    "tests/services/test_community_reputation.py (its layout is the leaderboard's card)",
    "/r/{token}": "needs a recovery survey of a closed case: "
    "tests/browser/test_recovery_browser.py checks it at phone width in both languages",
    "/r/{token}/thanks": "the same test, after answering",
    "/login/password": "only after a sign-in that must change its password: the same file",
    "/admin/sso": "instance administrators only: tests/browser/test_sso_browser.py checks it "
    "at phone width in both languages",
    "/admin/jobs": "instance administrators only; the same template as /w/{key}/jobs, with a "
    "workspace column (scripts/screenshots_jobs.py photographs it at phone width)",
}


@dataclass(frozen=True)
class Demo:
    survey: str
    campaign: str
    survey_key: str


@pytest.fixture
def demo(sqlite_cx: Cxgap, prepared: Prepared) -> Demo:
    """The demo (prepared once) and its admin, written before the live server starts: each
    test asks for ``demo`` before ``phone`` and ``live_server``."""
    prepare_demo(prepared, sqlite_cx, users=[("cx@example.com", "admin")])
    with sqlite_cx.transaction() as session:
        workspace = get_workspace(session, "demo")
        survey = campaigns.surveys_of(session, workspace)[0][0]
        campaign = campaigns.campaigns_of(session, workspace)[0][0]
        return Demo(survey.token, campaign.token, survey.key)


@pytest.fixture
def phone(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    context = browser.new_context(locale="en-GB", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        yield page
    finally:
        context.close()
    assert errors == []


def _html_routes(cx: Cxgap) -> set[str]:
    paths: set[str] = set()
    for included in create_app(cx=cx).routes:
        router = getattr(included, "original_router", None)
        for route in getattr(router, "routes", []):
            html = isinstance(route, APIRoute) and route.response_class is HTMLResponse
            if html and "GET" in route.methods:
                paths.add(route.path)
    return paths


def test_every_html_page_is_in_the_phone_check(sqlite_cx: Cxgap) -> None:
    served = _html_routes(sqlite_cx)
    assert "/w/{key}/listening" in served  # the walk found the routers
    missing = served - PAGES.keys() - NOT_VISITED.keys()
    assert missing == set(), f"add these pages to PAGES in {__name__}: {sorted(missing)}"
    assert PAGES.keys() - served == set()


def _overflow(page: Page) -> str:
    """The page's width, and the elements that stick out past the screen, for the message."""
    width = page.evaluate("document.documentElement.scrollWidth")
    culprits = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
             .filter(e => e.getBoundingClientRect().right > innerWidth + 1)
             .slice(0, 5).map(e => e.tagName.toLowerCase() + '.' + [...e.classList].join('.'))"""
    )
    return f"{width} px wide, sticking out: {culprits}"


def _login(page: Page, url: str) -> None:
    page.goto(f"{url}/login")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], _overflow(page)
    page.get_by_label("E-mail").fill("cx@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{url}/")


def _html_of(page: Page, url: str) -> str:
    """The report downloads as a file: fetch it and show it in the same page."""
    response = page.request.get(url)
    assert response.ok, url
    return response.text()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_page_fits_a_phone(
    demo: Demo, phone: Page, live_server: LiveServer, lang: str
) -> None:
    _login(phone, live_server.url)
    too_wide: dict[str, str] = {}
    for route, path in PAGES.items():
        address = path.format(
            survey=demo.survey, campaign=demo.campaign, survey_key=demo.survey_key
        )
        url = f"{live_server.url}{address}"
        url += f"?lang={lang}"
        if route.endswith("report.html"):
            phone.set_content(_html_of(phone, url))
        else:
            response = phone.goto(url)
            assert response is not None and response.ok, f"{url}: {response and response.status}"
            assert phone.locator("html").get_attribute("lang") == lang, url
        if phone.evaluate("document.documentElement.scrollWidth") > PHONE["width"]:
            too_wide[path] = _overflow(phone)
    assert too_wide == {}


@pytest.mark.parametrize(
    ("lang", "note"),
    [("en", "Editing a journey map is a desktop task"), ("fr", "se fait plutôt sur un ordinateur")],
)
def test_the_journey_editor_says_it_is_a_desktop_task_on_a_phone(
    demo: Demo, phone: Page, live_server: LiveServer, lang: str, note: str
) -> None:
    _login(phone, live_server.url)
    phone.goto(f"{live_server.url}/w/demo/journeys/claire-current/edit?lang={lang}")
    board = phone.locator("[data-je-board]")
    board.wait_for()
    assert phone.get_by_role("note").filter(has_text=note).is_visible()
    # The board keeps its columns and scrolls inside its frame, not the page.
    assert board.evaluate("b => b.scrollWidth > b.clientWidth")
    assert board.evaluate("b => b.getBoundingClientRect().right") <= PHONE["width"]
    # On a desktop the note is not shown.
    phone.set_viewport_size({"width": 1280, "height": 900})
    assert not phone.get_by_role("note").filter(has_text=note).is_visible()


@pytest.mark.parametrize("width", [320, 390, 1280])
def test_the_survey_nps_buttons_are_finger_sized(
    demo: Demo, phone: Page, live_server: LiveServer, width: int
) -> None:
    phone.set_viewport_size({"width": width, "height": 844})
    phone.goto(f"{live_server.url}/s/{demo.survey}?lang=fr")
    buttons = phone.locator("fieldset", has_text="recommandiez").locator("label")
    assert buttons.count() == 11
    boxes = [box for box in (b.bounding_box() for b in buttons.all()) if box is not None]
    assert len(boxes) == 11
    assert min(box["width"] for box in boxes) >= 44, boxes
    assert min(box["height"] for box in boxes) >= 44, boxes
    rows = sorted({round(box["y"]) for box in boxes})
    # One row on a desktop; two on a 390 px phone (0–5, then 6–10), three at 320 px.
    assert len(rows) == {320: 3, 390: 2, 1280: 1}[width]
    assert phone.evaluate("document.documentElement.scrollWidth") <= width
    # A tap on "7" chooses 7.
    phone.locator("label[for=nps-7]").click()
    assert phone.locator("input[name=nps][value='7']").is_checked()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_an_import_reads_on_a_phone(
    demo: Demo, phone: Page, live_server: LiveServer, lang: str
) -> None:
    """The column mapping (a wide table) and the import report, the pages an upload opens."""
    _login(phone, live_server.url)
    phone.goto(f"{live_server.url}/w/demo/import/feedback?lang={lang}")
    phone.locator("input[type=file]").set_input_files(str(FEEDBACK / "trustpilot.csv"))
    phone.locator("form:has(input[type=file]) button[type=submit]").click()
    phone.wait_for_selector("#mapping-table")
    assert phone.locator("html").get_attribute("lang") == lang
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], _overflow(phone)
    phone.locator("button[name=action][value=run]").click()
    phone.wait_for_url("**/import/feedback/imports/*", timeout=60_000)
    phone.wait_for_selector("#outcome")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], _overflow(phone)


@pytest.mark.parametrize(("lang", "details"), [("en", "Details"), ("fr", "Détails")])
def test_the_audit_log_reads_on_a_phone(
    demo: Demo, phone: Page, live_server: LiveServer, lang: str, details: str
) -> None:
    """The walk above only checks that the page does not scroll; the audit table used to scroll
    inside its frame, its Details column out of sight: each event is now a card."""
    _login(phone, live_server.url)
    phone.goto(f"{live_server.url}/audit?lang={lang}")
    table = phone.locator("table.audit")
    assert table.locator("tbody tr").count() >= 1  # the sign-in above, at least
    frame = phone.locator(".table-wrap:has(table.audit)")
    assert frame.evaluate("f => f.scrollWidth <= f.clientWidth"), _overflow(phone)
    assert not table.locator("thead").is_visible()
    cell = table.locator("tbody tr").first.locator(f"td[data-label='{details}']")
    assert cell.is_visible()
    box = cell.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    label = cell.evaluate("c => getComputedStyle(c, '::before').content")
    assert label == f'"{details}"'
    # On a desktop it is a table again, every column in the frame.
    phone.set_viewport_size({"width": 1280, "height": 900})
    assert table.locator("thead").is_visible()
    assert frame.evaluate("f => f.scrollWidth <= f.clientWidth")
