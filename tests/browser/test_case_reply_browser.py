"""Picking a reply template on a case page fills the box in a real browser (static/case-reply.js),
asks before replacing a draft the member wrote, and the box's text goes through the tone check
with the persona's address."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import update
from tests.browser.conftest import LiveServer, logged_in_page
from tests.enrichment_factory import add_feedback
from tests.factories import make_user, make_workspace

from cxgap.db.tables import User
from cxgap.journeys.model import Persona
from cxgap.services import cases, personas

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Dialog


def _setup(live_server: LiveServer) -> None:
    with live_server.cx.transaction() as session:
        workspace = make_workspace(session)
        make_user(session, "ana@example.com", workspace=workspace, role="analyst")
        session.execute(update(User).where(User.email == "ana@example.com").values(name="Ana"))
        persona = Persona("lea", "Léa Petit", segment="home", address="tu", reply_length="short")
        personas.add_persona(session, workspace=workspace, persona=persona)
        item = add_feedback(
            session, workspace, "Ma commande n'est toujours pas arrivée, c'est inadmissible.",
            nps=1, attributes={"segment": "home", "first_name": "Léa", "order_ref": "CMD-4471"},
        )  # fmt: skip
        cases.open_case(session, workspace=workspace, feedback_id=item.id)


def test_picking_a_template_fills_the_reply_box(browser: Browser, live_server: LiveServer) -> None:
    _setup(live_server)
    with logged_in_page(browser, live_server, "ana@example.com") as page:
        page.goto(f"{live_server.url}/w/acme/cases/1")
        box = page.locator("#r-body")
        # with script the list fills the box at once: the button that asks the server is gone
        assert page.locator("form[data-reply-templates] button").count() == 0
        page.select_option("#r-template", "refund")
        text = box.input_value()
        assert text.startswith("Bonjour Léa,") and "ta commande CMD-4471" in text
        assert text.rstrip().endswith("Ana")
        # the first value left to fill is selected, ready to be typed over
        selected = page.evaluate(
            "() => { const b = document.getElementById('r-body');"
            " return b.value.slice(b.selectionStart, b.selectionEnd); }"
        )
        assert selected == "{amount}"
        assert page.evaluate("document.activeElement.id") == "r-body"
        # another template replaces one that was only picked, without asking
        page.select_option("#r-template", "late_delivery")
        assert "que ta commande CMD-4471 ne te soit pas encore parvenue" in box.input_value()
        # a draft the member wrote is replaced only when they say so
        box.fill("Bonjour Léa, je regarde ça tout de suite.")
        answers = iter([False, True])
        asked: list[str] = []

        def answer(dialog: Dialog) -> None:
            asked.append(dialog.message)
            if next(answers):
                dialog.accept()
            else:
                dialog.dismiss()

        page.on("dialog", answer)
        page.select_option("#r-template", "defect")
        assert box.input_value() == "Bonjour Léa, je regarde ça tout de suite."
        assert page.locator("#r-template").input_value() == ""
        page.select_option("#r-template", "defect")
        assert "le produit de ta commande CMD-4471 ne fonctionne pas" in box.input_value()
        assert len(asked) == 2 and "Replace the message" in asked[0]
        # the box's text is checked with the persona's address: a "vous" line is flagged
        box.fill(box.input_value().replace("ta commande", "votre commande"))
        page.get_by_role("button", name="Check the tone").click()
        page.wait_for_selector(".tone-check")
        assert page.locator('[data-code="address_vous"]').count() == 1
