"""The public answer forms: the customer survey (/s/…) and the colleagues' self-assessment
(/a/…), driven through HTTP as a respondent's browser would."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from cxgap.db.tables import BotAnswer, CustomerPillarScore, CustomerResponse, InternalResponse
from cxgap.pillars import DEFAULT_PILLARS
from cxgap.services import campaigns
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import create_workspace
from tests.factories import PILLAR_KEYS, customer_form, internal_form, make_workspace
from tests.warm_routes import app_for


def fr_text(text: str) -> str:
    """French as typeset in the catalogues: a non-breaking space before ? : ! and ;."""
    return re.sub(r" ([?:!;])", "\u00a0\\1", text)


@dataclass(frozen=True)
class Links:
    survey: str
    invited: str
    invitations: list[str]
    campaign: str


@pytest.fixture
def links(cx: Cxgap) -> Links:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        survey = campaigns.create_survey(session, workspace=workspace, key="pulse", name="Pulse")
        invited = campaigns.create_survey(
            session, workspace=workspace, key="vip", name="VIP", invitation_only=True
        )
        tokens = campaigns.create_invitations(session, survey=invited, count=2)
        campaign = campaigns.create_internal_campaign(
            session, workspace=workspace, key="round-1", name="Round 1"
        )
        return Links(survey.token, invited.token, tokens, campaign.token)


def _client(cx: Cxgap) -> TestClient:
    return TestClient(app_for(cx), follow_redirects=False)


@pytest.fixture
def client(cx: Cxgap) -> Iterator[TestClient]:
    with _client(cx) as test_client:
        yield test_client


def open_form(client: TestClient, path: str, lang: str = "en") -> tuple[str, dict[str, str]]:
    """GET a form like a browser: its HTML and the hidden fields it must send back."""
    page = client.get(f"{path}{'&' if '?' in path else '?'}lang={lang}")
    assert page.status_code == 200, page.text
    hidden = dict(re.findall(r'name="(csrf_token|submission_id)" value="([^"]*)"', page.text))
    assert set(hidden) == {"csrf_token", "submission_id"}
    return page.text, hidden


def answer(client: TestClient, path: str, lang: str = "en", **overrides: Any) -> Any:
    _, hidden = open_form(client, path, lang)
    return client.post(path, data=customer_form(**{**hidden, "language": lang, **overrides}))


def assess(client: TestClient, path: str, **overrides: Any) -> Any:
    _, hidden = open_form(client, path)
    return client.post(path, data=internal_form(**{**hidden, **overrides}))


def customer_rows(cx: Cxgap) -> list[CustomerResponse]:
    with cx.reading() as session:
        return list(session.scalars(select(CustomerResponse)))


def internal_count(cx: Cxgap) -> int:
    with cx.reading() as session:
        return int(session.scalar(select(func.count(InternalResponse.id))) or 0)


# --- the customer survey: rendering ----------------------------------------------------------


def test_survey_speaks_french(client: TestClient, links: Links) -> None:
    html, _ = open_form(client, f"/s/{links.survey}", "fr")
    assert '<html lang="fr">' in html
    assert "Nos publicités et nos promesses correspondent à ce que vous vivez" in html
    assert "Publicité auprès des consommateurs" not in html  # the colleagues' wording
    assert fr_text("Quelle importance cela a-t-il pour vous ?") in html
    assert fr_text("Comment jugez-vous ce que nous faisons ?") in html
    assert "Médiocre" in html and "Excellent" in html
    assert "recommandiez à un ami ou à un collègue" in html
    assert "Professionnels" in html and "Ménages" in html
    assert 'name="language" value="fr"' in html
    assert "How much does this matter" not in html


def test_survey_speaks_english(client: TestClient, links: Links) -> None:
    html, _ = open_form(client, f"/s/{links.survey}", "en")
    assert "Our ads and promises match what you actually get." in html
    assert "How much does this matter to you?" in html
    assert "How well do we do it?" in html
    assert "Households" in html
    assert 'name="language" value="en"' in html
    assert "Médiocre" not in html


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_customers_read_only_the_customer_facing_wording(
    client: TestClient, links: Links, lang: str
) -> None:
    html, _ = open_form(client, f"/s/{links.survey}", lang)
    sent = answer(client, f"/s/{links.survey}", lang, content_importance=None)
    assert sent.status_code == 422
    for page in (html, sent.text):  # the form, and its error summary and messages
        text = unescape(page)
        for pillar in DEFAULT_PILLARS:
            assert getattr(pillar, f"prompt_{lang}") in text
            assert getattr(pillar, f"name_{lang}") not in text, pillar.key
            assert getattr(pillar, f"description_{lang}") not in text, pillar.key


def test_every_radio_has_a_label_inside_a_fieldset(client: TestClient, links: Links) -> None:
    html, _ = open_form(client, f"/s/{links.survey}")
    radios = re.findall(r'<input type="radio" id="([^"]+)" name="([^"]+)"', html)
    # 10 pillars x 2 x 5 + NPS 11 + CSAT 5 + CES 7 + 2 segments and "rather not say"
    assert len(radios) == 100 + 11 + 5 + 7 + 3
    for radio_id, _ in radios:
        assert f'<label for="{radio_id}">' in html
    assert html.count("<fieldset") == html.count("<legend>") == 20 + 3 + 2


def test_honeypot_is_off_screen_not_hidden(client: TestClient, links: Links) -> None:
    html, _ = open_form(client, f"/s/{links.survey}")
    trap = re.search(r'<input [^>]*name="website"[^>]*>', html)
    assert trap is not None
    assert 'type="text"' in trap.group(0)
    for attribute in ('tabindex="-1"', 'autocomplete="off"', 'aria-hidden="true"'):
        assert attribute in trap.group(0)


def test_segment_question_is_hidden_without_segments(cx: Cxgap, client: TestClient) -> None:
    with cx.transaction() as session:
        workspace = create_workspace(session, key="bare", name="Bare")
        token = campaigns.create_survey(session, workspace=workspace, key="s", name="S").token
    html, _ = open_form(client, f"/s/{token}")
    assert 'name="segment"' not in html
    assert 'name="nps"' in html


def test_unknown_link_and_closed_survey_get_a_friendly_page(
    cx: Cxgap, client: TestClient, links: Links
) -> None:
    unknown = client.get("/s/not-a-real-token", params={"lang": "fr"})
    assert unknown.status_code == 404
    assert "Ce lien n&#39;est pas valide" in unknown.text
    with cx.transaction() as session:
        survey = campaigns.survey_by_token(session, links.survey)
        campaigns.set_open(session, survey, False)
    closed = client.get(f"/s/{links.survey}", params={"lang": "en"})
    assert closed.status_code == 409
    assert "This survey is closed" in closed.text


# --- the customer survey: answers --------------------------------------------------------------


def test_valid_answer_is_stored_once(cx: Cxgap, client: TestClient, links: Links) -> None:
    path = f"/s/{links.survey}"
    _, hidden = open_form(client, path, "fr")
    form = customer_form(**hidden, language="fr", segment="pro", nps=9, comment="Très bien")
    sent = client.post(path, data=form)
    assert sent.status_code == 303
    assert sent.headers["location"] == f"/s/{links.survey}/thanks"
    thanks = client.get(sent.headers["location"])
    assert thanks.status_code == 200 and fr_text("Merci !") in thanks.text
    [row] = customer_rows(cx)
    assert (row.nps, row.segment_key, row.language, row.comment) == (9, "pro", "fr", "Très bien")
    assert row.consent is True and row.source == "web"
    with cx.reading() as session:
        scores = session.scalar(select(func.count(CustomerPillarScore.id)))
    assert scores == len(PILLAR_KEYS)

    # Back, then the same visit sends again: its one answer is updated.
    again = client.post(path, data={**form, "nps": 3})
    assert again.status_code == 303
    assert [row.nps for row in customer_rows(cx)] == [3]
    # A browser that lost its cookie: the page expired, but the hidden field kept the key.
    client.cookies.clear()
    expired = client.post(path, data={**form, "nps": 4})
    assert expired.status_code == 403
    kept = dict(re.findall(r'name="(csrf_token|submission_id)" value="([^"]*)"', expired.text))
    assert kept["submission_id"] == form["submission_id"]
    assert client.post(path, data={**form, **kept, "nps": 4}).status_code == 303
    assert [row.nps for row in customer_rows(cx)] == [4]


def test_two_browsers_give_two_answers(cx: Cxgap, links: Links) -> None:
    for _ in range(2):
        with _client(cx) as client:
            assert answer(client, f"/s/{links.survey}").status_code == 303
    assert len(customer_rows(cx)) == 2


def test_honeypot_thanks_the_bot_and_keeps_it_out_of_the_answers(
    cx: Cxgap, client: TestClient, links: Links
) -> None:
    sent = answer(client, f"/s/{links.survey}", website="https://spam.example")
    assert sent.status_code == 303
    assert sent.headers["location"].endswith("/thanks")
    assert customer_rows(cx) == []
    with cx.reading() as session:  # held apart, flagged bot (services/bot_answers.py)
        assert session.scalar(select(func.count(BotAnswer.id))) == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"nps": 11}, "nps", "Enter a whole number from 0 to 10."),
        ({"advertising_importance": None}, "advertising_importance", "Please choose an answer."),
        ({"segment": "wholesale"}, "segment", "Choose one of the options offered."),
        ({"comment": "x" * 5001}, "comment", "This text is too long: 5000 characters at most."),
        ({"birth_year": 1850}, "birth_year", "Enter a whole number from 1900 to"),
    ],
)
def test_invalid_answer_is_refused_next_to_its_field(
    cx: Cxgap,
    client: TestClient,
    links: Links,
    overrides: dict[str, Any],
    field: str,
    message: str,
) -> None:
    sent = answer(client, f"/s/{links.survey}", csat=2, **overrides)
    assert sent.status_code == 422
    html = sent.text
    error = re.search(rf'<p class="error fx-field-error" id="{field}-error">(.*?)</p>', html)
    assert error is not None and message in error.group(1)  # the message next to the field
    assert re.search(rf'href="#{field}(-[a-z0-9]+)?">', html)  # the summary links to it
    assert re.search(rf'aria-describedby="[^"]*{field}-error', html)
    assert 'role="alert"' in html
    assert re.search(r'id="csat-2" name="csat" value="2" checked', html)  # answers kept
    assert customer_rows(cx) == []


def test_refusal_is_explained_in_french(client: TestClient, links: Links) -> None:
    sent = answer(client, f"/s/{links.survey}", "fr", nps=11, comment="Livraison en retard")
    assert sent.status_code == 422
    assert "Indiquez un nombre entier compris entre 0 et 10." in sent.text
    assert "Recommandation (de 0 à 10)" in sent.text
    assert ">Livraison en retard</textarea>" in sent.text
    # the resubmission can reuse the same hidden id: nothing was stored under it
    hidden = dict(re.findall(r'name="(csrf_token|submission_id)" value="([^"]*)"', sent.text))
    fixed = client.post(f"/s/{links.survey}", data=customer_form(**hidden, language="fr"))
    assert fixed.status_code == 303


def test_body_over_256_kib_is_refused(cx: Cxgap, client: TestClient, links: Links) -> None:
    sent = answer(client, f"/s/{links.survey}", comment="x" * (300 * 1024))
    assert sent.status_code == 413
    assert customer_rows(cx) == []


def test_missing_csrf_token_is_refused_but_the_answers_are_kept(
    cx: Cxgap, client: TestClient, links: Links
) -> None:
    sent = answer(client, f"/s/{links.survey}", "fr", csrf_token=None, comment="Mes mots")
    assert sent.status_code == 403
    assert "Cette page a expiré" in sent.text
    assert ">Mes mots</textarea>" in sent.text
    assert customer_rows(cx) == []
    hidden = dict(re.findall(r'name="(csrf_token|submission_id)" value="([^"]*)"', sent.text))
    again = client.post(f"/s/{links.survey}", data=customer_form(**hidden, comment="Mes mots"))
    assert again.status_code == 303
    assert [row.comment for row in customer_rows(cx)] == ["Mes mots"]


def test_forged_csrf_token_is_refused_on_the_assessment(
    cx: Cxgap, client: TestClient, links: Links
) -> None:
    sent = assess(client, f"/a/{links.campaign}", csrf_token="forged")
    assert sent.status_code == 403
    assert "This page expired" in sent.text
    assert internal_count(cx) == 0


def test_invitation_only_survey(cx: Cxgap, client: TestClient, links: Links) -> None:
    path = f"/s/{links.invited}"
    without = client.get(path, params={"lang": "en"})
    assert without.status_code == 403
    assert "by invitation only" in without.text
    html, hidden = open_form(client, f"{path}?invitation={links.invitations[0]}")
    switch = f'href="{path}?invitation={links.invitations[0]}&amp;lang=fr"'
    assert switch in html  # switching language keeps the invitation
    refused = client.post(path, data=customer_form(**hidden))
    assert refused.status_code == 403
    assert customer_rows(cx) == []

    invited = f"{path}?invitation={links.invitations[0]}"
    assert answer(client, invited, nps=2).status_code == 303
    # A forged link says so at once, before the questionnaire…
    wrong = client.get(f"{path}?invitation=forged-token&lang=en")
    assert wrong.status_code == 404
    # …and a used one opens the form again, saying that sending replaces the answer,
    # from any browser: the invitation, not the cookie, names the answer.
    with _client(cx) as elsewhere:
        html, hidden = open_form(elsewhere, invited)
        assert "sending the form again replaces your previous answer" in html
        assert elsewhere.post(invited, data=customer_form(**hidden, nps=7)).status_code == 303
    assert [row.nps for row in customer_rows(cx)] == [7]


def test_rate_limit_per_network(cx: Cxgap, links: Links) -> None:
    strict = Cxgap(dataclasses.replace(cx.settings, survey_rate_limit=2))
    try:
        with _client(strict) as client:
            codes = []
            for _ in range(3):
                client.cookies.clear()  # a new visitor on the same network each time
                codes.append(answer(client, f"/s/{links.survey}").status_code)
            assert codes == [303, 303, 429]
            assert "Too many answers" in answer(client, f"/s/{links.survey}").text
    finally:
        strict.dispose()
    assert len(customer_rows(cx)) == 2


# --- the internal self-assessment --------------------------------------------------------------


def test_assessment_form_in_french(client: TestClient, links: Links) -> None:
    html, _ = open_form(client, f"/a/{links.campaign}", "fr")
    assert "Les 10 piliers de l&#39;expérience client" in html
    assert fr_text("Où en sommes-nous aujourd&#39;hui ?") in html
    assert fr_text("Où voulons-nous être ?") in html
    assert '<datalist id="departments">' in html and "Service client" in html
    assert html.count('<select id="') == 10
    assert '<option value="10">10</option>' in html


def test_assessment_shows_the_total_out_of_50(cx: Cxgap, client: TestClient, links: Links) -> None:
    path = f"/a/{links.campaign}"
    currents = {f"{key}_current": 1 + i % 5 for i, key in enumerate(PILLAR_KEYS)}  # sums to 30
    sent = assess(client, path, **currents)
    assert sent.status_code == 303
    assert sent.headers["location"] == f"/a/{links.campaign}/result"
    result = client.get(sent.headers["location"])
    assert result.status_code == 200
    assert re.search(r"data-total>30/50<", result.text)
    assert "Customer service they receive" in result.text
    again = client.get(sent.headers["location"])  # a refresh reads, never re-posts
    assert again.status_code == 200 and "30/50" in again.text
    assert internal_count(cx) == 1


def test_duplicate_ranks_are_refused(cx: Cxgap, client: TestClient, links: Links) -> None:
    sent = assess(client, f"/a/{links.campaign}", advertising_rank=2, department="Ventes")
    assert sent.status_code == 422
    assert 'id="rank-error"' in sent.text
    assert "Ranking of the pillars" in sent.text
    assert 'value="Ventes"' in sent.text
    assert internal_count(cx) == 0


def test_sending_the_assessment_again_updates_the_same_answer(
    cx: Cxgap, client: TestClient, links: Links
) -> None:
    path = f"/a/{links.campaign}"
    assert (
        assess(client, path, respondent="Ana", advertising_rank=2, content_rank=1).status_code
        == 303
    )
    # The form reopens as it was sent, ranking included.
    reopened, _ = open_form(client, path)
    assert "You have already answered from this device" in reopened
    assert 'value="Ana"' in reopened
    assert re.search(r'<option value="2" selected>2</option>', reopened)
    assert re.search(
        r'id="advertising_current-4" name="advertising_current" value="4" checked', reopened
    )
    # Going Back re-opens the form (a new page, the same visit): sending updates.
    again = assess(client, path, respondent="Ana B.", advertising_current=1)
    assert again.status_code == 303
    result = client.get(f"{path}/result", params={"lang": "en"})
    assert "Your assessment has been updated" in result.text
    with cx.reading() as session:
        [row] = session.scalars(select(InternalResponse)).all()
        assert row.respondent == "Ana B."
    # Another colleague on the same device starts a new answer.
    token = re.search(r'name="csrf_token" value="([^"]*)"', result.text)
    assert token is not None
    another = client.post(f"{path}/another", data={"csrf_token": token.group(1)})
    assert another.status_code == 303 and another.headers["location"] == path
    assert assess(client, path, respondent="Bea").status_code == 303
    assert internal_count(cx) == 2


def test_result_page_needs_an_answer_from_this_browser(client: TestClient, links: Links) -> None:
    page = client.get(f"/a/{links.campaign}/result", params={"lang": "fr"})
    assert page.status_code == 404
    assert "Vos réponses ont bien été enregistrées" in page.text
