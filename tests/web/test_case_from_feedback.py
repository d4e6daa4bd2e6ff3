""" "Open a case" on the Listening verbatims and topic examples: analysts see the button, a
verbatim opens a case (or joins the customer's open case), the case page says which;
viewers do not see it and cannot post it."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select

from cxgap.db.tables import CaseFeedback, CaseRow, Feedback
from cxgap.services.core import Cxgap
from tests.factories import make_user, make_workspace
from tests.listening_factories import make_listening_sample, make_topics
from tests.web.conftest import csrf_of, log_in

BUTTON = re.compile(r'action="/w/acme/listening/feedback/(\d+)/case"')


def _sign_in(cx: Cxgap, client: TestClient, role: str) -> TestClient:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        make_topics(session, workspace)
        make_listening_sample(session, workspace, n=60)
        make_user(session, "ana@example.com", workspace=workspace, role=role)
        for row in session.scalars(select(Feedback)):
            row.customer_ref = "C-1"  # one customer: the second verbatim joins the first case
    log_in(client, "ana@example.com")
    return client


def test_an_analyst_opens_a_case_from_a_verbatim_then_a_duplicate_joins_it(
    sqlite_cx: Cxgap, sqlite_client: TestClient
) -> None:
    client = _sign_in(sqlite_cx, sqlite_client, "analyst")
    explorer = client.get("/w/acme/listening").text
    ids = BUTTON.findall(explorer)
    assert len(ids) >= 2 and "Open a case" in explorer
    assert BUTTON.search(client.get("/w/acme/listening/topics").text)  # on the examples too
    token = csrf_of(explorer)
    first = client.post(f"/w/acme/listening/feedback/{ids[0]}/case", data={"csrf_token": token},
                        follow_redirects=False)  # fmt: skip
    assert first.headers["location"] == "/w/acme/cases/1?from_feedback=opened"
    assert "Case 1 was opened from this verbatim." in client.get(first.headers["location"]).text
    second = client.post(f"/w/acme/listening/feedback/{ids[1]}/case", data={"csrf_token": token},
                         follow_redirects=False)  # fmt: skip
    assert second.headers["location"] == "/w/acme/cases/1?from_feedback=attached"
    french = client.get(second.headers["location"] + "&lang=fr").text
    assert "le verbatim a été rattaché au dossier 1" in french
    assert "Ouvrir un dossier" in client.get("/w/acme/listening?lang=fr").text
    with sqlite_cx.reading() as session:
        assert len(session.scalars(select(CaseRow)).all()) == 1
        attached = set(session.scalars(select(CaseFeedback.feedback_id)))
    assert attached == {int(ids[0]), int(ids[1])}


def test_a_viewer_has_no_button_and_cannot_post(
    sqlite_cx: Cxgap, sqlite_client: TestClient
) -> None:
    client = _sign_in(sqlite_cx, sqlite_client, "viewer")
    explorer = client.get("/w/acme/listening").text
    assert not BUTTON.search(explorer) and "Open a case" not in explorer
    assert not BUTTON.search(client.get("/w/acme/listening/topics").text)
    with sqlite_cx.reading() as session:
        feedback_id = session.scalars(select(Feedback.id)).first()
    refused = client.post(f"/w/acme/listening/feedback/{feedback_id}/case",
                          data={"csrf_token": csrf_of(explorer)})  # fmt: skip
    assert refused.status_code == 403
    with sqlite_cx.reading() as session:
        assert session.scalars(select(CaseRow)).all() == []
