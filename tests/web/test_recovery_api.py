"""``POST …/cases/{number}/status`` with ``send_survey``: the recovery survey asked with the
status change, or refused as a field error in the caller's language with nothing changed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from cxgap.db.tables import CaseRow, Job
from cxgap.services.core import Cxgap
from tests.web.test_api_routes import Api, serve_api

STATUS = "/api/v1/workspaces/acme/cases/1/status"


@pytest.fixture
def api(cx: Cxgap) -> Iterator[Api]:
    yield from serve_api(cx)


def test_closing_with_a_survey_through_the_api(api: Api, cx: Cxgap) -> None:
    headers = {"authorization": f"Bearer {api.tokens['analyst']}", "accept-language": "fr"}
    body = {"status": "closed", "send_survey": True}
    refused = api.client.post(STATUS, json=body, headers=headers)
    assert refused.status_code == 422, refused.text
    detail = refused.json()["error"]["details"][0]
    assert detail["field"] == "email" and detail["code"] == "recovery_no_email"
    assert "Le dossier n’a pas d’adresse e-mail du client" in detail["message"]
    with cx.reading() as session:
        assert session.scalars(select(CaseRow.status)).one() == "new"
    body |= {"email": "jo@example.com", "language": "fr"}
    done = api.client.post(STATUS, json=body, headers=headers)
    assert done.status_code == 200, done.text
    shown = done.json()
    assert shown["status"] == "closed"
    [recovery] = shown["recoveries"]
    assert recovery["language"] == "fr" and recovery["sent_at"] is None
    assert recovery["answered_at"] is None and recovery["score"] is None
    assert [e["type"] for e in shown["events"]][-1] == "recovery_ask"
    with cx.reading() as session:
        jobs = session.scalars(select(Job.kind).where(Job.kind == "case_recovery")).all()
    assert jobs == ["case_recovery"]
    unknown = api.client.post(STATUS, json=body | {"language": "de"}, headers=headers)
    assert unknown.status_code == 422
