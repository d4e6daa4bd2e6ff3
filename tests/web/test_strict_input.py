"""Hostile values from the security run: lone UTF-16 surrogates (HTTP 500 in every field
tried) and lenient numbers (NPS ``1e1``, ``٣``, ``２`` and ``" 7"`` were stored), through the
REST API, the public survey form and the file imports."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from cxgap.db.tables import CustomerResponse, CustomerSurvey, Feedback
from cxgap.errors import ValidationError
from cxgap.services import api_tokens, campaigns
from cxgap.services.accounts import principal_of
from cxgap.services.core import Cxgap
from cxgap.services.survey_imports import import_customer_csv
from cxgap.services.workspaces import get_workspace
from tests.factories import customer_form, make_user, make_workspace
from tests.warm_routes import app_for

WS = "/api/v1/workspaces/acme"


@dataclass
class Site:
    client: TestClient
    cx: Cxgap
    headers: dict[str, str]
    survey: str

    def post_json(self, path: str, raw: str, **headers: str) -> Any:
        sent = {**self.headers, "content-type": "application/json", **headers}
        return self.client.post(f"{WS}{path}", content=raw.encode(), headers=sent)

    def count(self, table: type[Any]) -> int:
        with self.cx.reading() as session:
            return int(session.scalar(select(func.count()).select_from(table)) or 0)


@pytest.fixture
def site(sqlite_cx: Cxgap) -> Iterator[Site]:
    with sqlite_cx.transaction() as session:
        acme = make_workspace(session)
        make_user(session, "adam@example.com", workspace=acme, role="admin")
        adam = principal_of(acme.memberships[0].user)
        token = api_tokens.create_workspace_token(
            session, workspace=acme, principal=adam, name="t", role="admin"
        )
        survey = campaigns.create_survey(session, workspace=acme, key="pulse", name="Pulse")
        survey_token = survey.token
    app = app_for(sqlite_cx)
    with TestClient(app, raise_server_exceptions=False, follow_redirects=False) as client:
        yield Site(client, sqlite_cx, {"authorization": f"Bearer {token}"}, survey_token)


# --- lone surrogates -------------------------------------------------------------------------

SURROGATE_BODIES = [
    ("/surveys", '{"name": "Spring \\ud800"}', "name"),
    ("/campaigns", '{"name": "Q3", "key": "\\udfff"}', "key"),
    ("/topics", '{"key": "t", "name_en": "\\uDBFF", "name_fr": "x"}', "name_en"),
    ("/segments", '{"name_en": "a", "name_fr": "b", "rule": "\\ud800"}', "rule"),
    ("/members", '{"email": "\\ud800@example.com", "role": "viewer"}', "email"),
    ("/customer-answers", '{"answers": [{"nps": 5}, {"comment": "\\udc00"}]}', "answers.1.comment"),
    ("/personas", '{"key": "p", "name": "P", "needs": ["ok", "\\ud800"]}', "needs.1"),
    ("/customer-answers", '{"answers": [{"\\ud800": 1}]}', "answers.0.(key)"),
]


@pytest.mark.parametrize(("path", "raw", "field"), SURROGATE_BODIES)
def test_a_lone_surrogate_in_api_json_is_refused_naming_the_field(
    site: Site, path: str, raw: str, field: str
) -> None:
    response = site.post_json(path, raw)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid" and error["field"] == field
    assert error["details"][0]["code"] == "surrogate"
    assert site.count(CustomerResponse) == 0 and site.count(CustomerSurvey) == 1


def test_the_refusal_speaks_french(site: Site) -> None:
    response = site.post_json("/surveys", '{"name": "\\ud800"}', **{"accept-language": "fr"})
    assert response.status_code == 422
    assert "demi-caractère UTF-16 isolé" in response.json()["error"]["message"]


def test_an_escaped_surrogate_pair_is_an_ordinary_character(site: Site) -> None:
    response = site.post_json("/surveys", '{"name": "Spring \\ud83d\\ude00"}')
    assert response.status_code == 201, response.text
    assert response.json()["name"] == "Spring \U0001f600"


def test_a_json_feedback_file_with_a_lone_surrogate_refuses_that_row(site: Site) -> None:
    rows = [
        {"source_id": f"a{n}", "source_type": "survey", "channel": "web"}
        | {"collected_at": "2026-03-01", "text": text}
        for n, text in ((1, "Fine."), (2, "Bad \ud800 text"))
    ]
    raw = json.dumps(rows).encode()  # json.dumps writes the lone surrogate as \ud800
    assert b"\\ud800" in raw
    files = {"file": ("hostile.json", raw, "application/json")}
    sent = site.client.post(f"{WS}/feedback/imports", headers=site.headers, files=files)
    assert sent.status_code == 200, sent.text
    assert sent.json()["status"] == "refused"
    problems = sent.json()["report"]["problems"]
    assert [(p["row"], p["field"], p["code"]) for p in problems] == [(2, "text", "surrogate")]
    assert site.count(Feedback) == 0  # all or nothing: the good row is not stored either


def test_a_form_post_with_an_encoded_surrogate_is_not_a_server_error(site: Site) -> None:
    """``%ED%A0%80`` is the UTF-8-like encoding of U+D800: not valid UTF-8, so never text."""
    page = site.client.get(f"/s/{site.survey}")
    hidden = dict(re.findall(r'name="(csrf_token|submission_id)" value="([^"]*)"', page.text))
    form = customer_form(**hidden, comment="PLACEHOLDER")
    body = "&".join(f"{k}={v}" for k, v in form.items()).replace("PLACEHOLDER", "a%ED%A0%80b")
    headers = {"content-type": "application/x-www-form-urlencoded"}
    sent = site.client.post(f"/s/{site.survey}", content=body.encode(), headers=headers)
    assert sent.status_code in (303, 422), sent.text
    with site.cx.reading() as session:
        comments = list(session.scalars(select(CustomerResponse.comment)))
    assert all(not re.search("[\ud800-\udfff]", c or "") for c in comments)


# --- lenient numbers -------------------------------------------------------------------------

LENIENT = ["1e1", "٣", "２", " 7", "7.0", "1_0", 7.0, True]


@pytest.mark.parametrize("nps", LENIENT, ids=repr)
def test_the_api_takes_a_score_as_an_integer_or_ascii_digits_only(site: Site, nps: Any) -> None:
    body = {"answers": [customer_form(response_id="r1", nps=nps)]}
    sent = site.client.post(f"{WS}/customer-answers", json=body, headers=site.headers)
    assert sent.status_code == 422, sent.text
    problem = sent.json()["error"]["details"][0]
    assert (problem["field"], problem["row"]) == ("nps", 1)
    assert problem["message"] == "must be a whole number from 0 to 10"
    assert site.count(CustomerResponse) == 0


def test_the_api_stores_integers_and_digit_strings(site: Site) -> None:
    answers = [customer_form(response_id="a", nps=7), customer_form(response_id="b", nps="10")]
    sent = site.client.post(
        f"{WS}/customer-answers", json={"answers": answers}, headers=site.headers
    )
    assert sent.status_code == 200 and sent.json()["stored"] == 2


@pytest.mark.parametrize("nps", ["1e1", "٣", "２", " 7", "7.0"], ids=repr)
def test_the_public_form_refuses_a_lenient_score_next_to_the_field(site: Site, nps: str) -> None:
    page = site.client.get(f"/s/{site.survey}")
    hidden = dict(re.findall(r'name="(csrf_token|submission_id)" value="([^"]*)"', page.text))
    sent = site.client.post(f"/s/{site.survey}", data=customer_form(**hidden, nps=nps))
    assert sent.status_code == 422
    error = re.search(r'id="nps-error">(.*?)</p>', sent.text)
    assert error is not None and "Enter a whole number from 0 to 10." in error.group(1)
    assert site.count(CustomerResponse) == 0


def test_a_csv_file_may_pad_a_score_but_not_write_it_in_other_digits(site: Site) -> None:
    base = customer_form(response_id="r1")
    header = ",".join(base)
    good = ",".join(" 7 " if k == "nps" else str(v) for k, v in base.items())
    bad = ",".join(
        "٣" if k == "nps" else ("r2" if k == "response_id" else str(v)) for k, v in base.items()
    )
    data = f"{header}\n{good}\n{bad}\n".encode()

    with pytest.raises(ValidationError) as refused, site.cx.transaction() as session:
        import_customer_csv(
            session,
            workspace=get_workspace(session, "acme"),
            data=data,
            source="answers.csv",
            max_bytes=1_000_000,
        )
    assert [(p.row, p.field, p.value) for p in refused.value.problems] == [(3, "nps", "٣")]
    assert site.count(CustomerResponse) == 0
