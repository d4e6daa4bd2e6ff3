"""The case page's reply box: the case's persona and its reply profile, the situation templates
filled in for the customer (``?template=`` without script), the tone check with the persona's
address; and the persona form's tone fields. French and English."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from cxgap.db.tables import User
from cxgap.journeys.model import Persona
from cxgap.services import cases, personas
from cxgap.services.core import Cxgap
from tests.enrichment_factory import add_feedback
from tests.factories import make_user, make_workspace
from tests.web.conftest import csrf_of, log_in


@pytest.fixture
def analyst(sqlite_cx: Cxgap, sqlite_client: TestClient) -> TestClient:
    """Case 1: Léa (households → persona Léa, tu, short), in French, order CMD-4471.
    Case 2: a customer in no persona's segment, in English."""
    with sqlite_cx.transaction() as session:
        workspace = make_workspace(session)
        make_user(session, "ana@example.com", workspace=workspace, role="analyst")
        make_user(session, "vic@example.com", workspace=workspace, role="viewer")
        session.execute(update(User).where(User.email == "ana@example.com").values(name="Ana"))
        personas.add_persona(
            session,
            workspace=workspace,
            persona=Persona("lea", "Léa Petit", segment="home", address="tu", reply_length="short"),
        )
        for text, attributes in (
            ("Ma commande n'est toujours pas arrivée, c'est inadmissible.",
             {"segment": "home", "first_name": "Léa", "order_ref": "CMD-4471"}),
            ("The parcel is three weeks late and nobody answers.", {"segment": "other"}),
        ):  # fmt: skip
            item = add_feedback(session, workspace, text, nps=1, attributes=attributes)
            cases.open_case(session, workspace=workspace, feedback_id=item.id)
    log_in(sqlite_client, "ana@example.com")
    return sqlite_client


def _box_text(page: str) -> str:
    found = re.search(r'<textarea id="r-body"[^>]*>(.*?)</textarea>', page, re.DOTALL)
    assert found, "no reply box"
    return html.unescape(found.group(1))


@pytest.mark.parametrize(
    ("lang", "line", "option"),
    [
        ("en", "casual (tu), short replies", "Late delivery"),
        ("fr", "tutoiement (tu), réponses courtes", "Retard de livraison"),
    ],
)
def test_the_reply_box_names_the_persona_and_offers_the_templates(
    analyst: TestClient, lang: str, line: str, option: str
) -> None:
    page = analyst.get(f"/w/acme/cases/1?lang={lang}").text
    assert 'data-case-persona="lea"' in page and 'data-address="tu"' in page
    assert 'href="/w/acme/personas/lea"><strong>Léa Petit</strong></a> — ' + line in page
    assert f">{option}" in page and 'src="/static/case-reply.js"' in page
    # every situation, in the customer's language (French) and the persona's address (tu)
    options = re.findall(r'<option value="(\w+)" data-text="([^"]*)"', page)
    assert [v for v, _ in options] == [
        "late_delivery", "refund", "defect", "billing_error", "rude_staff", "follow_up",
        "praise", "information",
    ]  # fmt: skip
    refund = html.unescape(dict(options)["refund"])
    assert refund.startswith("Bonjour Léa,") and "ta commande CMD-4471" in refund
    assert refund.rstrip().endswith("Ana") and "{amount}" in refund
    assert _box_text(page) == ""


def test_a_template_asked_for_in_the_address_fills_the_box_without_script(
    analyst: TestClient,
) -> None:
    page = analyst.get("/w/acme/cases/1?template=refund").text
    assert '<option value="refund"' in page and re.search(r'value="refund"[^>]* selected', page)
    box = _box_text(page)
    assert box.startswith("Bonjour Léa,") and "Ton remboursement de {amount}" in box
    # the no-script button submits the list to the same page
    assert 'method="get" action="/w/acme/cases/1#r-h"' in page and "Use this template" in page
    refused = analyst.get("/w/acme/cases/1?template=ghost")
    assert refused.status_code == 422
    assert "template" in refused.text and "ghost" in refused.text


def test_a_case_without_persona_says_so_and_is_answered_formally_in_its_language(
    analyst: TestClient,
) -> None:
    page = analyst.get("/w/acme/cases/2?template=late_delivery").text
    assert 'data-case-persona=""' in page and "No persona for this customer" in page
    assert _box_text(page).startswith("Hello {first_name},")  # English, no name known
    french = analyst.get("/w/acme/cases/2?lang=fr").text
    assert "Aucun persona pour le segment de ce client" in french


def test_the_tone_check_uses_the_personas_address(analyst: TestClient) -> None:
    token = csrf_of(analyst.get("/w/acme/cases/1").text)
    draft = (
        "Bonjour Léa,\n\nJe suis vraiment désolé pour ce retard. Votre commande CMD-4471 part "
        "aujourd'hui.\n\nBien cordialement,\nAna"
    )
    page = analyst.post(
        "/w/acme/cases/1/reply",
        data={"body": draft, "visibility": "public", "action": "check", "csrf_token": token},
    ).text
    assert 'data-code="address_vous"' in page
    assert 'data-code="jargon"' not in page  # the order reference is the customer's own
    assert 'data-case-persona="lea"' in page  # the box keeps its persona line and templates


def test_viewers_get_no_reply_box(analyst: TestClient) -> None:
    log_in(analyst, "vic@example.com")
    page = analyst.get("/w/acme/cases/1?template=refund").text
    assert "data-case-persona" not in page and "r-template" not in page


@pytest.mark.parametrize(
    ("lang", "labels"),
    [("en", ("Formal (vous)", "Casual (tu)")), ("fr", ("Vouvoiement (vous)", "Tutoiement (tu)"))],
)
def test_the_persona_form_sets_the_reply_tone(
    analyst: TestClient, lang: str, labels: tuple[str, str]
) -> None:
    form_page = analyst.get(f"/w/acme/personas/new?lang={lang}").text
    assert all(label in form_page for label in labels)
    token = csrf_of(form_page)
    form = {"csrf_token": token, "key": "bob", "name": "Bob", "address": "tu",
            "reply_length": "detailed"}  # fmt: skip
    created = analyst.post("/w/acme/personas/new", data=form, follow_redirects=False)
    assert created.status_code == 303
    shown = analyst.get("/w/acme/personas/bob").text
    assert 'data-persona-address="tu"' in shown and labels[1] in shown
    edit = analyst.get("/w/acme/personas/bob/edit").text
    assert re.search(r'<option value="tu" selected>', edit)
    assert re.search(r'<option value="detailed" selected>', edit)
    bad = analyst.post("/w/acme/personas/new", data={**form, "key": "bo", "address": "toi"})
    assert bad.status_code == 422
    assert re.search(r'id="address-error">[^<]*\(toi\)', bad.text)
