"""The cases pages: the queue with its filters and SLA, a case with its history and actions,
the rules editor and teams; viewers read, analysts act; French and English."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from cxgap.db.tables import CaseRow, CaseRule
from cxgap.services import cases
from cxgap.services.core import Cxgap
from tests.enrichment_factory import add_feedback
from tests.factories import make_user, make_workspace
from tests.web.conftest import csrf_of, log_in


def _setup(cx: Cxgap, client: TestClient, role: str = "analyst") -> int:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        make_user(session, f"{role}@example.com", workspace=workspace, role=role)
        make_user(session, "bo@example.com", workspace=workspace, role="analyst")
        item = add_feedback(session, workspace, "Delivery three weeks late.", nps=2)
        feedback_id = item.id
    log_in(client, f"{role}@example.com")
    return feedback_id


def _post(client: TestClient, path: str, **data: object) -> str:
    token = csrf_of(client.get("/w/acme/cases").text)
    response = client.post(path, data={**data, "csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303, response.text[:500]
    return response.headers["location"]


def test_an_analyst_works_a_case_from_the_pages(
    sqlite_cx: Cxgap, sqlite_client: TestClient
) -> None:
    feedback_id = _setup(sqlite_cx, sqlite_client)
    where = _post(sqlite_client, "/w/acme/cases", feedback_id=feedback_id, priority="high")
    assert where == "/w/acme/cases/1"
    _post(sqlite_client, "/w/acme/cases/1/reply", body="Internal: call the carrier",
          visibility="internal")  # fmt: skip
    _post(sqlite_client, "/w/acme/cases/1/reply", body="We are sorry", visibility="public")
    _post(sqlite_client, "/w/acme/cases/1/assign", assignee="bo@example.com", team="",
          priority="urgent")  # fmt: skip
    _post(sqlite_client, "/w/acme/cases/1/status", status="closed")
    page = sqlite_client.get("/w/acme/cases/1").text
    assert "Delivery three weeks late." in page and "Internal: call the carrier" in page
    assert 'data-type="note"' in page and "Reopen" in page
    _post(sqlite_client, "/w/acme/cases/1/reopen", body="Came back")
    french = sqlite_client.get("/w/acme/cases/1?lang=fr").text
    assert "Note interne" in french and "Rouvert" in french and "Première réponse" in french
    queue = sqlite_client.get("/w/acme/cases?assignee=bo@example.com").text
    assert 'data-case="1"' in queue and "Urgent" in queue
    assert 'data-case="1"' not in sqlite_client.get("/w/acme/cases?status=pending_customer").text
    with sqlite_cx.reading() as session:
        case = session.scalars(select(CaseRow)).one()
        assert (case.status, case.priority) == ("open", "urgent")


def test_the_rules_editor_adds_checks_and_orders_rules(
    sqlite_cx: Cxgap, sqlite_client: TestClient
) -> None:
    _setup(sqlite_cx, sqlite_client)
    _post(sqlite_client, "/w/acme/cases/teams", team_key="care", name="Care",
          members=["bo@example.com"])  # fmt: skip
    _post(sqlite_client, "/w/acme/cases/rules", name="Detractors", nps_max="6", team="care")
    _post(sqlite_client, "/w/acme/cases/rules", name="Unhappy", csat_max="2", priority="high")
    token = csrf_of(sqlite_client.get("/w/acme/cases").text)
    refused = sqlite_client.post(
        "/w/acme/cases/rules", data={"name": "Bad", "nps_max": "12", "csrf_token": token}
    )
    assert refused.status_code == 422 and "nps_max" in refused.text
    with sqlite_cx.reading() as session:
        second = session.scalars(select(CaseRule).where(CaseRule.name == "Unhappy")).one().id
    _post(sqlite_client, f"/w/acme/cases/rules/{second}/up")
    page = sqlite_client.get("/w/acme/cases/rules").text
    assert page.index("Unhappy") < page.index("Detractors") and "NPS ≤ 6" in page
    assert "bo@example.com" in page
    assert (
        "Règles d’ouverture des dossiers" in sqlite_client.get("/w/acme/cases/rules?lang=fr").text
    )


def test_a_viewer_reads_without_the_action_forms(
    sqlite_cx: Cxgap, sqlite_client: TestClient
) -> None:
    _setup(sqlite_cx, sqlite_client, role="viewer")
    with sqlite_cx.transaction() as session:
        from cxgap.services import cases
        from cxgap.services.workspaces import get_workspace

        cases.open_case(session, workspace=get_workspace(session, "acme"), subject="Broken")
    queue = sqlite_client.get("/w/acme/cases").text
    assert 'data-case="1"' in queue and "/cases/rules" not in queue
    assert "/reply" not in sqlite_client.get("/w/acme/cases/1").text


def test_the_tone_of_a_draft_is_checked_on_the_case_page_and_nothing_is_sent(
    sqlite_cx: Cxgap, sqlite_client: TestClient
) -> None:
    feedback_id = _setup(sqlite_cx, sqlite_client)
    _post(sqlite_client, "/w/acme/cases", feedback_id=feedback_id, priority="high")
    token = csrf_of(sqlite_client.get("/w/acme/cases/1").text)
    draft = "As stated in our terms, you should have checked the tracking page."
    checked = sqlite_client.post(
        "/w/acme/cases/1/reply",
        data={"body": draft, "visibility": "public", "action": "check", "csrf_token": token},
    )
    assert checked.status_code == 200
    page = checked.text
    assert 'data-code="blame"' in page and 'data-code="too_cold"' in page
    assert f">{draft}</textarea>" in page  # the draft stays in the box, to be edited
    assert "Check the tone" in page
    french = sqlite_client.post(
        "/w/acme/cases/1/reply?lang=fr",
        data={"body": draft, "visibility": "internal", "action": "check", "csrf_token": token},
    ).text
    assert "Vérifier le ton" in french and 'value="internal" checked' in french
    with sqlite_cx.reading() as session:
        case = session.scalars(select(CaseRow)).one()
        assert [e.type for e in cases.history(session, case)] == ["created"]
    kind = sqlite_client.post(
        "/w/acme/cases/1/reply",
        data={"body": "x", "action": "shout", "csrf_token": token},
    )
    assert kind.status_code == 422 and "action" in kind.text
