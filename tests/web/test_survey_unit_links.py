"""Survey links that name a shop or agent (``/s/<survey>?u=…&sig=…``), end to end over HTTP:
the link made by the service, the answer sent through it, its stored ``agent``, and the
integrity flags per unit that then include web answers. A tampered link still takes the
answer, stored without a unit, and logs nothing about it."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from cxgap.db.tables import CustomerResponse
from cxgap.errors import ValidationError
from cxgap.services import campaigns, survey_links
from cxgap.services.core import Cxgap
from cxgap.services.integrity import workspace_integrity
from cxgap.services.workspaces import get_workspace
from cxgap.web.log_redaction import redact
from tests.factories import customer_form, make_workspace
from tests.warm_routes import app_for

SECRET = "test-secret-key-not-for-production"  # tests/conftest.py's settings


@pytest.fixture
def tokens(cx: Cxgap) -> tuple[str, str]:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        pulse = campaigns.create_survey(session, workspace=workspace, key="pulse", name="Pulse")
        other = campaigns.create_survey(session, workspace=workspace, key="other", name="Other")
        return pulse.token, other.token


@pytest.fixture
def client(cx: Cxgap) -> Iterator[TestClient]:
    with TestClient(app_for(cx), follow_redirects=False) as test_client:
        yield test_client


def link_path(cx: Cxgap, unit: str, survey_key: str = "pulse") -> str:
    with cx.reading() as session:
        survey = campaigns.get_survey(session, get_workspace(session, "acme"), survey_key)
        found = survey_links.unit_links(
            session, survey, base="https://cx.example.com", secret=SECRET, units=[unit]
        )
    assert found[0].url == "https://cx.example.com" + found[0].path
    return found[0].path


def send(client: TestClient, path: str, **overrides: object) -> tuple[str, int]:
    """A new respondent (fresh cookies) opens ``path`` and sends an answer: the form's HTML
    and the status of the post."""
    client.cookies.clear()
    page = client.get(path)
    assert page.status_code == 200, page.text
    hidden = dict(re.findall(r'name="(csrf_token|submission_id)" value="([^"]*)"', page.text))
    action = re.search(r'<form method="post" action="([^"]+)" id="survey-form"', page.text)
    assert action is not None
    target = action.group(1).replace("&amp;", "&")
    sent = client.post(target, data=customer_form(**{**hidden, "comment": "", **overrides}))
    return page.text, sent.status_code


def agents(cx: Cxgap) -> list[str | None]:
    with cx.reading() as session:
        rows = session.scalars(select(CustomerResponse.agent).order_by(CustomerResponse.id))
        return list(rows)


def test_an_answer_through_a_signed_link_carries_its_unit(
    cx: Cxgap, client: TestClient, tokens: tuple[str, str]
) -> None:
    path = link_path(cx, "  Lyon   Part-Dieu ")
    query = parse_qs(urlsplit(path).query)
    assert query["u"] == ["Lyon Part-Dieu"]  # the name tidied
    html, status = send(client, path + "&lang=fr")
    assert status == 303
    assert "Votre réponse concerne\u00a0: Lyon Part-Dieu." in html
    assert agents(cx) == ["Lyon Part-Dieu"]


@pytest.mark.parametrize(
    "tamper",
    [
        lambda p: p.replace("u=Lyon", "u=Lille"),  # another unit, same signature
        lambda p: re.sub(r"sig=(.)", lambda m: "sig=" + ("0" if m.group(1) != "0" else "1"), p),
        lambda p: p.split("&sig=")[0],  # the signature cut off
        lambda p: p + "0",  # a signature too long
    ],
    ids=["unit", "signature", "missing", "longer"],
)
def test_a_tampered_link_stores_the_answer_without_a_unit_and_logs_nothing(
    cx: Cxgap,
    client: TestClient,
    tokens: tuple[str, str],
    tamper: object,
    caplog: pytest.LogCaptureFixture,
) -> None:
    path = tamper(link_path(cx, "Lyon Part-Dieu"))  # type: ignore[operator]
    assert path != link_path(cx, "Lyon Part-Dieu")
    with caplog.at_level(logging.DEBUG):
        html, status = send(client, path)
    assert status == 303  # never refused: the customer's answer matters
    assert "data-unit" not in html
    assert agents(cx) == [None]
    server_side = [r for r in caplog.records if not r.name.startswith("httpx")]  # not the client
    assert not [r for r in server_side if re.search("Lyon|Lille", r.getMessage())]


def test_a_link_signed_for_another_survey_names_no_unit(
    cx: Cxgap, client: TestClient, tokens: tuple[str, str]
) -> None:
    pulse, other = tokens
    path = link_path(cx, "Lyon Part-Dieu", survey_key="other").replace(other, pulse)
    assert send(client, path)[1] == 303
    assert agents(cx) == [None]


def test_the_unit_survives_a_form_shown_again_with_its_errors(
    cx: Cxgap, client: TestClient, tokens: tuple[str, str]
) -> None:
    path = link_path(cx, "Agent 7")
    _html, status = send(client, path, nps=11)
    assert status == 422 and agents(cx) == []
    page = client.post(path, data={})  # the form again, its action keeping the link's query
    assert 'action="/s/' in page.text and "u=Agent+7&amp;sig=" in page.text


def test_the_access_log_hides_the_unit_and_its_signature() -> None:
    assert redact("/s/AbC?u=Jean%20Dupont&sig=00ff&lang=en") == "/s/***?u=***&sig=***&lang=en"


def test_bad_unit_names_are_refused_naming_the_value(cx: Cxgap, tokens: tuple[str, str]) -> None:
    with cx.reading() as session:
        survey = campaigns.get_survey(session, get_workspace(session, "acme"), "pulse")
        for bad, code in (("   ", "required"), ("x" * 129, "too_long"), ("a\x07b", "control")):
            with pytest.raises(ValidationError) as caught:
                survey_links.unit_links(session, survey, base="", secret=SECRET, units=[bad])
            assert caught.value.problems[0].code == code
            assert caught.value.problems[0].field == "units[0]"


def test_web_answers_through_unit_links_feed_the_funnel_plot(
    cx: Cxgap, client: TestClient, tokens: tuple[str, str]
) -> None:
    """Three shops answer through their links; one's customers all give a 10: flagged."""
    scores = {"Gamed": [10] * 12, "Nantes": [10, 9] + [7] * 10, "Lille": [9, 10] + [6] * 10}
    for unit, nps_values in scores.items():
        path = link_path(cx, unit)
        for nps in nps_values:
            assert send(client, path, nps=nps)[1] == 303
    with cx.reading() as session:
        found = workspace_integrity(session, workspace=get_workspace(session, "acme"))
    by_unit = {a.agent: a for a in found.report.agents}
    assert {unit: a.n for unit, a in by_unit.items()} == {"Gamed": 12, "Nantes": 12, "Lille": 12}
    assert [unit for unit, a in by_unit.items() if a.flagged] == ["Gamed"]
    assert [f.name for f in by_unit["Gamed"].flags] == ["top_score_share"]
    with cx.reading() as session:  # the links page lists the units the answers name
        survey = campaigns.get_survey(session, get_workspace(session, "acme"), "pulse")
        listed = survey_links.unit_links(session, survey, base="", secret=SECRET)
    assert [(u.unit, u.answers) for u in listed] == [("Gamed", 12), ("Lille", 12), ("Nantes", 12)]
