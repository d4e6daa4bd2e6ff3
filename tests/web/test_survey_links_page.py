"""Making the links per shop or agent: the page (analysts and admins), the REST call and the
CLI, each link then taking answers that carry its unit."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from cxgap.cli.main import app
from cxgap.db.tables import CustomerResponse
from cxgap.services import accounts, campaigns
from cxgap.services.core import Cxgap
from tests.factories import customer_form, make_user, make_workspace
from tests.warm_routes import app_for
from tests.web.conftest import log_in

PAGE = "/w/acme/collect/surveys/pulse/links"
SECRET = "test-secret-key-not-for-production"


@pytest.fixture
def acme(sqlite_cx: Cxgap) -> Cxgap:
    with sqlite_cx.transaction() as session:
        workspace = make_workspace(session)
        make_user(session, "ana@example.com", workspace=workspace, role="analyst")
        make_user(session, "vic@example.com", workspace=workspace, role="viewer")
        campaigns.create_survey(session, workspace=workspace, key="pulse", name="Pulse")
    return sqlite_cx


@pytest.fixture
def client(acme: Cxgap) -> Iterator[TestClient]:
    with TestClient(app_for(acme)) as test_client:
        yield test_client


def answer_through(client: TestClient, url: str) -> None:
    """A customer (fresh cookies) opens the link and answers."""
    client.cookies.clear()
    path = url.removeprefix("http://testserver")
    form = client.get(path).text
    hidden = dict(re.findall(r'name="(csrf_token|submission_id)" value="([^"]*)"', form))
    action = re.search(r'action="([^"]+)" id="survey-form"', form)
    assert action is not None
    sent = client.post(
        html.unescape(action.group(1)),
        data=customer_form(**hidden, comment=""),
        follow_redirects=False,
    )
    assert sent.status_code == 303


def stored_agents(cx: Cxgap) -> list[str | None]:
    with cx.reading() as session:
        return list(session.scalars(select(CustomerResponse.agent).order_by(CustomerResponse.id)))


def test_an_analyst_makes_a_link_and_a_customer_answers_through_it(
    acme: Cxgap, client: TestClient
) -> None:
    log_in(client, "ana@example.com")
    empty = client.get(PAGE, params={"lang": "en"})
    assert empty.status_code == 200 and 'id="no-units"' in empty.text
    made = client.get(PAGE, params={"unit": "Lyon Part-Dieu", "lang": "fr"})
    assert made.status_code == 200
    assert "Liens par magasin ou conseiller" in made.text
    urls = re.findall(r'data-copy="([^"]+)"', made.text)
    assert len(urls) == 1 and "u=Lyon+Part-Dieu&amp;sig=" in urls[0]
    answer_through(client, html.unescape(urls[0]))
    assert stored_agents(acme) == ["Lyon Part-Dieu"]
    log_in(client, "ana@example.com")  # the answer cleared the cookies
    listed = client.get(PAGE, params={"lang": "en"})
    assert 'data-unit="Lyon Part-Dieu"' in listed.text and "1 answer about it so far" in listed.text


def test_a_bad_unit_name_is_refused_on_the_page_in_the_readers_language(
    client: TestClient,
) -> None:
    log_in(client, "ana@example.com")
    refused = client.get(PAGE, params={"unit": "x" * 129, "lang": "fr"})
    assert refused.status_code == 422
    assert "il dépasse 128 caractères" in refused.text
    assert 'aria-invalid="true"' in refused.text


def test_viewers_cannot_make_links(client: TestClient) -> None:
    log_in(client, "vic@example.com")
    assert client.get(PAGE, params={"unit": "Lyon"}).status_code == 403


def test_the_rest_call_makes_links_that_carry_their_unit(acme: Cxgap, client: TestClient) -> None:
    with acme.transaction() as session:
        token = accounts.create_api_token(session, email="ana@example.com", name="t")
        viewer = accounts.create_api_token(session, email="vic@example.com", name="v")
    path = "/api/v1/workspaces/acme/surveys/pulse/links"
    made = client.post(
        path, json={"units": ["Nantes", " Agent  7 "]}, headers={"authorization": f"Bearer {token}"}
    )
    assert made.status_code == 200, made.text
    body = made.json()
    assert body["survey"] == "pulse"
    assert [link["unit"] for link in body["links"]] == ["Nantes", "Agent 7"]
    assert all(link["url"].endswith(link["path"]) for link in body["links"])
    answer_through(client, body["links"][1]["url"])
    assert stored_agents(acme) == ["Agent 7"]
    bad = client.post(path, json={"units": [""]}, headers={"authorization": f"Bearer {token}"})
    assert bad.status_code == 422 and "units[0]" in bad.text
    denied = client.post(path, json={"units": ["N"]}, headers={"authorization": f"Bearer {viewer}"})
    assert denied.status_code == 403


def test_the_cli_prints_a_link_per_unit(
    acme: Cxgap, client: TestClient, monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    monkeypatch.setenv("CXGAP_SECRET_KEY", SECRET)
    monkeypatch.setenv("CXGAP_DATA_DIR", str(tmp_path))
    url = acme.settings.database_url
    args = ["survey", "links", "--workspace", "acme", "--unit", "Lyon Part-Dieu", "--unit", "Lille"]
    result = CliRunner().invoke(
        app, [*args, "--base-url", "http://testserver", "--format", "json", "--database-url", url]
    )
    assert result.exit_code == 0, result.stderr
    links = json.loads(result.stdout)["links"]
    assert [link["unit"] for link in links] == ["Lyon Part-Dieu", "Lille"]
    answer_through(client, links[0]["url"])
    assert stored_agents(acme) == ["Lyon Part-Dieu"]
    text = CliRunner().invoke(app, [*args[:4], "--known", "--database-url", url])
    assert text.exit_code == 0 and text.stdout.startswith("Lyon Part-Dieu\t/s/")
    bad = CliRunner().invoke(app, [*args[:4], "--unit", "a\x07b", "--database-url", url])
    assert bad.exit_code == 2 and "control character" in bad.stderr


def test_a_bot_through_a_unit_link_is_thanked_then_shown_on_the_integrity_page(
    acme: Cxgap, client: TestClient
) -> None:
    log_in(client, "ana@example.com")
    made = client.get(PAGE, params={"unit": "Nantes"})
    url = html.unescape(re.findall(r'data-copy="([^"]+)"', made.text)[0])
    client.cookies.clear()
    form = client.get(url.removeprefix("http://testserver")).text
    hidden = dict(re.findall(r'name="(csrf_token|submission_id)" value="([^"]*)"', form))
    action = re.search(r'action="([^"]+)" id="survey-form"', form)
    assert action is not None
    sent = client.post(
        html.unescape(action.group(1)),
        data=customer_form(**hidden, website="http://spam.example", nps=10),
        follow_redirects=False,
    )
    assert sent.status_code == 303 and sent.headers["location"].endswith("/thanks")
    assert stored_agents(acme) == []
    log_in(client, "ana@example.com")
    page = client.get("/w/acme/integrity", params={"lang": "en"})
    assert 'data-bots-held="1" data-bots-dropped="0"' in page.text
    assert "1 bot answer kept." in page.text
    assert "the hidden field that people never see was filled in" in page.text
    assert "Nantes" in page.text
    with acme.transaction() as session:
        token = accounts.create_api_token(session, email="ana@example.com", name="t")
    bearer = {"authorization": f"Bearer {token}"}
    body = client.get("/api/v1/workspaces/acme/integrity", headers=bearer)
    assert body.status_code == 200
    bots = body.json()["bot_answers"]
    assert (bots["held"], bots["dropped"]) == (1, 0)
    assert bots["newest"][0] | {"received_at": None} == {
        "received_at": None,
        "survey": "Pulse",
        "flags": ["bot"],
        "reason": "honeypot",
        "agent": "Nantes",
        "nps": 10,
        "comment": "Fine overall.",
    }
    assert body.json()["responses"] == []  # never among the answers
