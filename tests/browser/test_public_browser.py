"""A customer and a colleague answer the public forms in a real browser, as people do."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import select
from tests.browser.conftest import logged_in_page
from tests.factories import PASSWORD, PILLAR_KEYS, make_user, make_workspace

from cxgap.db.tables import CustomerResponse, InternalPillarScore, InternalResponse, Pillar
from cxgap.pillars import DEFAULT_PILLARS
from cxgap.services import campaigns
from cxgap.services.results import compute_results
from cxgap.services.workspaces import get_workspace

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page
    from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser

IMPORTANCE = "Quelle importance cela a-t-il pour vous ?"
COMMENT = "Livraison en retard de deux semaines, très déçu"
# Today's score per pillar, in the workspace's order: they add up to 33.
CURRENT = dict(zip(PILLAR_KEYS, [3, 4, 2, 5, 3, 4, 2, 3, 4, 3], strict=True))


def fr_text(text: str) -> str:
    """French as typeset in the catalogues: a non-breaking space before ? : ! and ;."""
    return re.sub(r" ([?:!;])", "\u00a0\\1", text)


@dataclass(frozen=True)
class Links:
    survey: str
    campaign: str


@pytest.fixture
def links(live_server: LiveServer) -> Links:
    with live_server.cx.transaction() as session:
        workspace = make_workspace(session)
        survey = campaigns.create_survey(session, workspace=workspace, key="pulse", name="Pulse")
        campaign = campaigns.create_internal_campaign(
            session, workspace=workspace, key="round-1", name="Tour de table 2026"
        )
        return Links(survey.token, campaign.token)


@contextmanager
def _page(browser: Browser, locale: str, width: int = 1280) -> Iterator[Page]:
    """A fresh page that fails the test on a script error or a refused (CSP) resource."""
    context = browser.new_context(locale=locale, viewport={"width": width, "height": 900})
    problems: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on(
            "console",
            lambda message: (
                problems.append(message.text)
                if message.type == "error" and "status of 4" not in message.text
                else None
            ),
        )
        yield page
    finally:
        context.close()
    assert problems == [], "the page logged errors"


@pytest.fixture
def french_page(browser: Browser) -> Iterator[Page]:
    with _page(browser, "fr-FR", 390) as page:
        yield page


def test_a_customer_answers_in_french(
    french_page: Page, live_server: LiveServer, links: Links
) -> None:
    page = french_page
    page.goto(f"{live_server.url}/s/{links.survey}")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert "Contenu qu'ils consomment" not in page.locator("main").inner_text()
    for index, pillar in enumerate(DEFAULT_PILLARS):
        key = pillar.key
        # Customers read the customer-facing prompt, never the colleagues' pillar name.
        group = page.get_by_role("group", name=pillar.prompt_fr, exact=True)
        importance = group.get_by_role("group", name=fr_text(IMPORTANCE))
        importance.locator("label", has_text="5").click()
        page.locator(f'label[for="{key}_performance-{1 + index % 5}"]').click()
    # NPS with the keyboard only: into the group, then the arrow keys.
    page.locator('label[for="nps-5"]').click()
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    page.locator('label[for="ces-6"]').click()
    comment = page.get_by_label(fr_text("Souhaitez-vous nous dire quelque chose ?"))
    comment.click()
    page.keyboard.type(COMMENT)
    left = 5000 - len(COMMENT)
    assert page.locator("#comment-counter").inner_text() == f"Encore {left} caractères possibles"
    page.get_by_label("Année de naissance").fill("1975")
    page.get_by_text("Professionnels", exact=True).click()
    page.get_by_text("J'accepte que ma réponse").click()
    page.get_by_role("button", name="Envoyer mes réponses").click()

    page.wait_for_url(f"**/s/{links.survey}/thanks")
    assert page.get_by_role("heading", level=1).inner_text() == fr_text("Merci !")
    assert "Vos réponses ont bien été enregistrées" in page.content()

    with live_server.cx.reading() as session:
        [stored] = session.scalars(select(CustomerResponse)).all()
        results = compute_results(session, get_workspace(session, "acme"), min_group_size=1)
    assert (stored.comment, stored.nps, stored.ces, stored.csat) == (COMMENT, 9, 6, None)
    assert (stored.language, stored.segment_key, stored.birth_year) == ("fr", "pro", 1975)
    assert stored.consent is True
    assert results["nps"]["n"] == 1 and results["nps"]["promoters"] == 1
    by_key = {p["key"]: p for p in results["pillars"]}
    assert by_key["advertising"]["customer_performance_mean"] == 1
    assert by_key["reputation"]["customer_importance_mean"] == 5

    # The CX manager then reads the answer on the results page.
    with live_server.cx.transaction() as session:
        make_user(session, "cx@example.com", workspace=get_workspace(session, "acme"))
    page.goto(f"{live_server.url}/login")
    page.get_by_label("Adresse e-mail").fill("cx@example.com")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.goto(f"{live_server.url}/w/acme/results")
    headline = page.locator(".results-section").first
    assert "+100" in headline.inner_text()  # one promoter, NPS +100
    assert "réponse client · 0 réponse de collègue" in headline.inner_text()


def test_the_survey_can_be_completed_with_the_keyboard_only(
    browser: Browser, live_server: LiveServer, links: Links
) -> None:
    with _page(browser, "en-GB", 1280) as page:
        page.goto(f"{live_server.url}/s/{links.survey}")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "skip-link"
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.hreflang") == "fr"  # the language switch
        for _ in PILLAR_KEYS:
            for _aspect in ("importance", "performance"):
                page.keyboard.press("Tab")  # into the group, on its first value
                page.keyboard.press("ArrowRight")  # 2
                page.keyboard.press("ArrowRight")  # 3
        assert page.evaluate("document.activeElement.id") == "reputation_performance-3"
        focused_label = page.evaluate(
            "getComputedStyle(document.querySelector(`label[for='${document.activeElement.id}']`))"
            ".outlineStyle"
        )
        assert focused_label == "solid", "the focused value has no visible focus ring"
        page.keyboard.press("Tab")  # NPS
        for _ in range(9):
            page.keyboard.press("ArrowRight")
        page.keyboard.press("Tab")  # CSAT
        page.keyboard.press("Space")
        page.keyboard.press("Tab")  # CES, left unanswered
        page.keyboard.press("Tab")
        page.keyboard.type("Late delivery, again.")
        page.keyboard.press("Tab")
        page.keyboard.type("1968")
        page.keyboard.press("Tab")  # the segment group, on "I would rather not say"
        page.keyboard.press("ArrowDown")  # wraps round to the first segment
        page.keyboard.press("Tab")
        page.keyboard.press("Space")  # consent
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.type") == "submit"
        page.keyboard.press("Enter")
        page.wait_for_url(f"**/s/{links.survey}/thanks")
    with live_server.cx.reading() as session:
        [stored] = session.scalars(select(CustomerResponse)).all()
    assert (stored.nps, stored.csat, stored.ces) == (9, 1, None)
    assert (stored.comment, stored.birth_year, stored.segment_key) == (
        "Late delivery, again.",
        1968,
        "pro",
    )
    assert stored.consent is True and stored.language == "en"


def test_a_colleague_without_javascript_ranks_with_the_selects(
    browser: Browser, live_server: LiveServer, links: Links
) -> None:
    context = browser.new_context(locale="fr-FR", java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/a/{links.campaign}")
        for rank, key in enumerate(reversed(PILLAR_KEYS), start=1):
            page.locator(f'label[for="{key}_current-{CURRENT[key]}"]').click()
            page.locator(f'label[for="{key}_desired-4"]').click()
            page.locator(f"#{key}_rank").select_option(str(rank))
        page.get_by_role("button", name="Envoyer et voir mon total").click()
        page.wait_for_url(f"**/a/{links.campaign}/result")
        assert page.locator("[data-total]").inner_text() == "33/50"
    finally:
        context.close()


def test_an_error_is_shown_next_to_its_field_and_fixed(
    french_page: Page, live_server: LiveServer, links: Links
) -> None:
    page = french_page
    page.goto(f"{live_server.url}/s/{links.survey}")
    for key in PILLAR_KEYS[1:]:
        page.locator(f'label[for="{key}_importance-3"]').click()
        page.locator(f'label[for="{key}_performance-3"]').click()
    page.get_by_role("button", name="Envoyer mes réponses").click()

    summary = page.get_by_role("alert")
    assert "Quelques réponses sont à revoir" in summary.inner_text()
    assert page.evaluate("document.activeElement.id") == "form-errors"
    nps_error = fr_text("Recommandation (de 0 à 10) : Choisissez une réponse.")
    summary.get_by_role("link", name=nps_error).click()
    assert page.evaluate("document.activeElement.id") == "nps-0"
    page.keyboard.press("ArrowRight")  # the first arrow press moves to and checks 1
    page.locator('label[for="advertising_importance-4"]').click()
    page.locator('label[for="advertising_performance-2"]').click()
    assert page.locator("#content_importance-3").is_checked()  # the answers were kept
    page.get_by_role("button", name="Envoyer mes réponses").click()
    page.wait_for_url(f"**/s/{links.survey}/thanks")
    with live_server.cx.reading() as session:
        [stored] = session.scalars(select(CustomerResponse)).all()
    assert stored.nps == 1


def test_a_colleague_ranks_with_the_buttons_and_sees_the_total(
    french_page: Page, live_server: LiveServer, links: Links
) -> None:
    page = french_page
    page.goto(f"{live_server.url}/a/{links.campaign}")
    for key, current in CURRENT.items():
        page.locator(f'label[for="{key}_current-{current}"]').click()
        page.locator(f'label[for="{key}_desired-5"]').click()
    # The JavaScript list replaces the selects: bring customer service (8th) to the top
    # with the keyboard only.
    service = "Le service client qu'ils reçoivent"
    move_up = page.get_by_role("button", name=fr_text(f"Monter : {service}"))
    move_up.focus()
    for _ in range(7):
        page.keyboard.press("Enter")
    status = page.locator("[data-rank-status]").inner_text()
    assert status == fr_text(f"{service} : désormais en position 1 sur 10.")
    assert page.locator(".fx-rank-item .fx-rank-name").first.inner_text() == service
    assert page.locator("select[name='service_rank']").is_hidden()
    page.get_by_label("Votre service").fill("Service client")
    page.get_by_label("Votre prénom").fill("Camille")
    page.get_by_role("button", name="Envoyer et voir mon total").click()

    page.wait_for_url(f"**/a/{links.campaign}/result")
    assert page.locator("[data-total]").inner_text() == "33/50"
    assert "comparez-le à celui de vos collègues" in page.content()
    page.reload()  # a refresh shows the result again and stores nothing more
    assert page.locator("[data-total]").inner_text() == "33/50"

    with live_server.cx.reading() as session:
        [response] = session.scalars(select(InternalResponse)).all()
        ranks = dict(
            session.execute(
                select(Pillar.key, InternalPillarScore.rank).join(
                    Pillar, Pillar.id == InternalPillarScore.pillar_id
                )
            ).all()
        )
    assert (response.department, response.respondent) == ("Service client", "Camille")
    assert ranks["service"] == 1 and ranks["advertising"] == 2 and ranks["products"] == 8


def _scrolls_sideways(page: Page) -> bool:
    """True when the page, or a table inside it, is wider than the screen."""
    return bool(
        page.evaluate(
            "document.documentElement.scrollWidth > window.innerWidth || "
            "[...document.querySelectorAll('.table-wrap')].some(w => w.scrollWidth > w.clientWidth)"
        )
    )


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("locale", ["fr", "en"])
def test_survey_screenshots(
    browser: Browser, live_server: LiveServer, links: Links, shots: Path, locale: str, width: int
) -> None:
    with _page(browser, locale, width) as page:
        page.goto(f"{live_server.url}/s/{links.survey}?lang={locale}")
        page.screenshot(path=str(shots / f"survey-{locale}-{width}.png"), full_page=True)
        assert not _scrolls_sideways(page)
        if locale == "fr" and width == 390:
            page.get_by_role("button", name="Envoyer mes réponses").click()
            page.get_by_role("alert").wait_for()
            page.screenshot(path=str(shots / "survey-errors-fr-390.png"), full_page=True)


@pytest.mark.parametrize("width", [390, 1280])
def test_assessment_screenshots(
    browser: Browser, live_server: LiveServer, links: Links, shots: Path, width: int
) -> None:
    with _page(browser, "fr-FR", width) as page:
        page.goto(f"{live_server.url}/a/{links.campaign}")
        page.screenshot(path=str(shots / f"assessment-fr-{width}.png"), full_page=True)
        assert not _scrolls_sideways(page)
        for key, current in CURRENT.items():
            page.locator(f'label[for="{key}_current-{current}"]').click()
            page.locator(f'label[for="{key}_desired-{min(current + 1, 5)}"]').click()
        page.get_by_role("button", name="Envoyer et voir mon total").click()
        page.wait_for_url("**/result")
        assert page.locator("[data-total]").inner_text() == "33/50"
        page.screenshot(path=str(shots / f"assessment-result-fr-{width}.png"), full_page=True)
        assert not _scrolls_sideways(page)


def test_a_colleague_who_goes_back_and_sends_again_is_counted_once(
    browser: Browser, live_server: LiveServer, links: Links
) -> None:
    with _page(browser, "en-GB", 1280) as page:
        page.goto(f"{live_server.url}/a/{links.campaign}")
        for key, current in CURRENT.items():
            page.locator(f'label[for="{key}_current-{current}"]').click()
            page.locator(f'label[for="{key}_desired-5"]').click()
        page.get_by_label("Your first name").fill("Camille")
        page.get_by_role("button", name="Send and see my total").click()
        page.wait_for_url(f"**/a/{links.campaign}/result")
        assert page.locator("[data-total]").inner_text() == "33/50"

        page.go_back()  # second thoughts about customer service (3 → 5)
        page.wait_for_url(f"**/a/{links.campaign}")
        page.locator('label[for="service_current-5"]').click()
        page.get_by_label("Your first name").fill("Camille D.")
        page.get_by_role("button", name="Send and see my total").click()
        page.wait_for_url(f"**/a/{links.campaign}/result")
        assert page.locator("[data-total]").inner_text() == "35/50"
        assert "has been updated" in page.locator("[data-recorded]").inner_text()

    with live_server.cx.reading() as session:
        [response] = session.scalars(select(InternalResponse)).all()
        service = session.scalar(
            select(InternalPillarScore.current)
            .join(Pillar, Pillar.id == InternalPillarScore.pillar_id)
            .where(Pillar.key == "service")
        )
    assert (response.respondent, service) == ("Camille D.", 5)


def test_an_untouched_ranking_is_sent_as_no_ranking(
    browser: Browser, live_server: LiveServer, links: Links
) -> None:
    for confirm in (False, True):  # a colleague who skips the ranking, one who confirms it
        with _page(browser, "en-GB", 1280) as page:
            page.goto(f"{live_server.url}/a/{links.campaign}")
            for key, current in CURRENT.items():
                page.locator(f'label[for="{key}_current-{current}"]').click()
                page.locator(f'label[for="{key}_desired-5"]').click()
            state = page.locator("[data-rank-state]")
            assert "Not ranked yet" in state.inner_text()
            if confirm:
                page.get_by_role("button", name="This order is right").click()
                assert state.inner_text() == "Your ranking will be sent with your answer."
            page.get_by_role("button", name="Send and see my total").click()
            page.wait_for_url(f"**/a/{links.campaign}/result")

    with live_server.cx.reading() as session:
        rows = session.execute(
            select(InternalPillarScore.response_id, Pillar.key, InternalPillarScore.rank)
            .join(Pillar, Pillar.id == InternalPillarScore.pillar_id)
            .order_by(InternalPillarScore.response_id)
        ).all()
    first, second = sorted({r.response_id for r in rows})
    assert {r.rank for r in rows if r.response_id == first} == {None}
    confirmed = {r.key: r.rank for r in rows if r.response_id == second}
    assert confirmed == {key: i for i, key in enumerate(PILLAR_KEYS, start=1)}

    with live_server.cx.transaction() as session:
        make_user(session, "cx@example.com", workspace=get_workspace(session, "acme"))
    with logged_in_page(browser, live_server, "cx@example.com") as page:
        page.goto(f"{live_server.url}/w/acme/results")
        note = page.locator("[data-rankings]").first.inner_text()
        assert note.startswith("Rankings given: 1 of 2 colleague answers.")


def test_the_comment_counter_says_one_character_in_the_singular(
    french_page: Page, live_server: LiveServer, links: Links
) -> None:
    page = french_page
    page.goto(f"{live_server.url}/s/{links.survey}")
    comment = page.locator("#comment")
    comment.fill("x" * 4999)
    assert page.locator("#comment-counter").inner_text() == "Encore 1 caractère possible"
    comment.fill("x" * 4998)
    assert page.locator("#comment-counter").inner_text() == "Encore 2 caractères possibles"


def test_reopening_the_form_keeps_the_ranking_that_was_sent(
    browser: Browser, live_server: LiveServer, links: Links
) -> None:
    with _page(browser, "en-GB", 390) as page:
        page.goto(f"{live_server.url}/a/{links.campaign}")
        for key, current in CURRENT.items():
            page.locator(f'label[for="{key}_current-{current}"]').click()
            page.locator(f'label[for="{key}_desired-5"]').click()
        for _ in range(7):  # customer service, 8th, to the top
            page.get_by_role("button", name="Move up: Customer service they receive").click()
        page.get_by_role("button", name="Send and see my total").click()
        page.wait_for_url(f"**/a/{links.campaign}/result")

        page.goto(f"{live_server.url}/a/{links.campaign}")  # the link opened again
        assert "already answered" in page.locator("[data-already-answered]").inner_text()
        first = page.locator(".fx-rank-item .fx-rank-name").first.inner_text()
        assert first == "Customer service they receive"
        state = page.locator("[data-rank-state]").inner_text()
        assert state == "Your ranking will be sent with your answer."
        assert page.locator("#service_current-3").is_checked()
        page.get_by_role("button", name="Send and see my total").click()
        page.wait_for_url(f"**/a/{links.campaign}/result")

    with live_server.cx.reading() as session:
        [response] = session.scalars(select(InternalResponse)).all()
        ranks = {s.pillar_id: s.rank for s in response.scores}
        service = session.scalar(select(Pillar.id).where(Pillar.key == "service"))
    assert ranks[service] == 1 and sorted(ranks.values()) == list(range(1, 11))


def test_a_customer_who_goes_back_and_sends_again_is_counted_once(
    browser: Browser, live_server: LiveServer, links: Links
) -> None:
    with _page(browser, "en-GB", 1280) as page:
        page.goto(f"{live_server.url}/s/{links.survey}")
        for key in PILLAR_KEYS:
            page.locator(f'label[for="{key}_importance-4"]').click()
            page.locator(f'label[for="{key}_performance-3"]').click()
        page.locator('label[for="nps-3"]').click()
        page.get_by_role("button", name="Send my answers").click()
        page.wait_for_url(f"**/s/{links.survey}/thanks")
        page.go_back()  # on second thought, a 7
        page.wait_for_url(f"**/s/{links.survey}")
        page.locator('label[for="nps-7"]').click()
        page.get_by_role("button", name="Send my answers").click()
        page.wait_for_url(f"**/s/{links.survey}/thanks")
    with live_server.cx.reading() as session:
        assert [r.nps for r in session.scalars(select(CustomerResponse))] == [7]
