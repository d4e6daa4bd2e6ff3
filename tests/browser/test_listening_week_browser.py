"""A CX manager's week in Listening, in a real browser: every NPS names its source and the
two are reconciled, drivers read in words, reviews with stars only get trends, hidden periods
are gaps with a legend, emerging topics have human names, and a corrected label starts from
the current one and shows as pending after a reload."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pytest
from tests.browser.conftest import LiveServer, logged_in_page
from tests.factories import make_user, make_workspace
from tests.listening_factories import (
    CLAUSES,
    Verbatim,
    add_feedback,
    compose,
    enrich,
    make_topics,
)
from tests.listening_week_factories import make_two_sources
from tests.prepared import Prepared
from tests.text.fakes import HashedTrigramEmbedder

from cxgap.db.tables import utcnow
from cxgap.services import emerging
from cxgap.services.core import Cxgap

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page
    from sqlalchemy.orm import Session

pytestmark = pytest.mark.browser

JOINED = compose(
    [
        next(c for c in CLAUSES if c[0].startswith("staff at the")),
        next(c for c in CLAUSES if c[0].startswith("The delivery took")),
    ],
    " but ",
)
UNCOVERED = [
    "Personne ne répond au téléphone du magasin",
    "Personne ne décroche le téléphone du magasin",
    "Personne au téléphone du magasin",
    "Impossible de trouver une place de parking",
    "Aucune place de parking chez Lumen Maison",
    "Plus de place de parking le samedi",
]


def _lumen_maison(session: Session) -> None:
    workspace = make_workspace(session, name="Lumen Maison")
    make_topics(session, workspace)
    make_two_sources(session, workspace)
    make_user(session, "cx@example.com", workspace=workspace, role="analyst")


@pytest.fixture
def lumen_maison(sqlite_cx: Cxgap, prepared: Prepared) -> Cxgap:
    """The two sources of Lumen Maison and its analyst (written once per session and copied
    for each test, which may change it), before the live server starts."""
    prepared.into(sqlite_cx, "listening-week-browser", _lumen_maison)
    return sqlite_cx


@pytest.fixture
def manager(lumen_maison: Cxgap, browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    with logged_in_page(browser, live_server, "cx@example.com") as page:
        yield page


def test_the_overview_nps_leads_to_the_reconciliation_by_source(
    manager: Page, live_server: LiveServer
) -> None:
    from playwright.sync_api import expect

    page = manager
    page.goto(f"{live_server.url}/w/acme")
    source = page.locator("#nps-source")
    expect(source).to_contain_text("Survey answers, n = 100 · 5 Jan 2026 – 24 Jan 2026")
    source.get_by_role("link", name="Compare with imported feedback").click()
    page.wait_for_url("**/listening/trends#nps-sources")
    block = page.locator("#nps-sources")
    expect(block).to_be_visible()
    rows = block.locator("tbody tr")
    expect(rows.nth(0)).to_contain_text("Survey answers (your cxgap survey)")
    expect(rows.nth(0)).to_contain_text("+10")
    expect(rows.nth(1)).to_contain_text("−45")
    expect(block).to_contain_text("Their intervals do not overlap")
    page.goto(f"{live_server.url}/w/acme/listening/trends?lang=fr")
    expect(page.locator("#nps-sources h2")).to_have_text("NPS par source")


def test_drivers_read_in_words(manager: Page, live_server: LiveServer) -> None:
    from playwright.sync_api import expect

    page = manager
    page.goto(f"{live_server.url}/w/acme/listening/drivers")
    delivery = page.locator("#driver-delivery")
    expect(delivery).to_contain_text("100% of those mentions are negative.")
    expect(delivery).to_contain_text("points lower on the 0–10 scale")
    page.goto(f"{live_server.url}/w/acme/listening/drivers?lang=fr")
    expect(page.locator("#driver-delivery")).to_contain_text("de ces mentions sont négatives")


def test_stars_only_reviews_get_trends_with_hidden_periods_as_gaps(
    browser: Browser, live_server: LiveServer
) -> None:
    from playwright.sync_api import expect

    good = compose([next(c for c in CLAUSES if c[0].startswith("staff at the"))], ". ")
    with live_server.cx.transaction() as session:
        workspace = make_workspace(session, key="shop", name="Shop")
        make_topics(session, workspace)
        enrich(session, workspace, good)
        # 40 reviews in January, 3 in February (hidden), 40 in March: stars only.
        for month, count in ((1, 40), (2, 3), (3, 40)):
            for index in range(count):
                add_feedback(
                    session,
                    workspace,
                    good.text,
                    collected_at=datetime(2026, month, 1 + index % 27, tzinfo=UTC),
                    source_id=f"{month}-{index}",
                    stars=4 + index % 2,
                )
        make_user(session, "stars@example.com", workspace=workspace, role="viewer")
    with logged_in_page(browser, live_server, "stars@example.com") as page:
        page.goto(f"{live_server.url}/w/shop/listening/trends")
        expect(page.get_by_role("heading", name="Star rating")).to_be_visible()
        expect(page.get_by_role("heading", name="Negative verbatims")).to_be_visible()
        expect(page.locator("#trends-missing")).to_contain_text("Net Promoter Score")
        stars = page.locator("#trend-stars-h").locator("xpath=..")
        expect(stars.locator("circle.dot")).to_have_count(2)
        expect(stars.locator("rect.hidden-period")).to_have_count(1)
        expect(stars.locator("text.hidden-note")).to_have_text(
            "Hatched: period hidden, fewer than 30 answers"
        )
        page.goto(f"{live_server.url}/w/shop/listening/trends?lang=fr")
        expect(page.locator("text.hidden-note").first).to_have_text(
            "Hachuré : période masquée, moins de 30 réponses"
        )


def test_emerging_topics_have_names_a_person_would_give(
    manager: Page, live_server: LiveServer
) -> None:
    from playwright.sync_api import expect

    cx = live_server.cx
    with cx.transaction() as session:
        from cxgap.services.workspaces import get_workspace

        workspace = get_workspace(session, "acme")
        for index, text in enumerate(UNCOVERED):
            verbatim = Verbatim(text, "fr", [(0, len(text), "negative", -0.5, 0.5, None)])
            enrich(session, workspace, verbatim)
            add_feedback(
                session, workspace, text, collected_at=utcnow(), source_id=f"uncovered-{index}"
            )
        emerging.compute_and_store(session, workspace, HashedTrigramEmbedder(dimension=512))
    page = manager
    page.goto(f"{live_server.url}/w/acme/listening/emerging")
    headings = page.locator("main h2")
    expect(headings.filter(has_text="Place de parking")).to_have_count(1)
    expect(headings.filter(has_text="Téléphone du magasin")).to_have_count(1)
    names = " ".join(headings.all_inner_texts()).lower()
    assert "personne" not in names and "lumen" not in names and "emerging-" not in names


def test_a_correction_starts_from_the_current_label_and_shows_as_pending(
    manager: Page, live_server: LiveServer
) -> None:
    from playwright.sync_api import expect

    with live_server.cx.transaction() as session:
        from cxgap.services.workspaces import get_workspace

        workspace = get_workspace(session, "acme")
        enrichment = enrich(session, workspace, JOINED)
        enrichment.enriched_at = utcnow() - timedelta(hours=1)
        add_feedback(session, workspace, JOINED.text, collected_at=utcnow(), source_id="joined")
    page = manager
    page.goto(f"{live_server.url}/w/acme/listening?q=showroom")
    verbatim = page.locator(".verbatim").first
    verbatim.get_by_text("Correct a label").click()
    selects = verbatim.get_by_label("Sentiment")
    # The whole verbatim reads neutral (mean of +0.8 and −0.7); the clauses + and −.
    assert [selects.nth(i).input_value() for i in range(3)] == ["neutral", "positive", "negative"]
    topics = verbatim.get_by_label("Topic", exact=True)
    assert topics.nth(1).input_value() == "staff" and topics.nth(2).input_value() == "delivery"
    selects.nth(0).select_option("negative")
    verbatim.get_by_role("button", name="Save").first.click()
    expect(verbatim.locator(".label-saved")).to_be_visible()
    page.reload()
    verbatim = page.locator(".verbatim").first
    pending = verbatim.locator(".pending-labels")
    expect(pending).to_contain_text("Correction pending")
    expect(pending).to_contain_text("Sentiment of the whole verbatim → Negative")
    # Until the job re-enriches it, the label shown is the old one, and the form says so.
    expect(verbatim.locator(".verbatim-meta .sentiment")).to_contain_text("Neutral")
    page.goto(f"{live_server.url}/w/acme/listening?q=showroom&lang=fr")
    expect(page.locator(".pending-labels").first).to_contain_text("Correction en attente")
