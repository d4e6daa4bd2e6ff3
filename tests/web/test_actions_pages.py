"""The action plan pages: planning from a pillar's link, the form's refusals (in French),
the list's filters with late and progress shown, an action's status, steps and comments;
viewers read, analysts act."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from cxgap.db.tables import ActionRow
from cxgap.services import action_notes, action_plans
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from tests.factories import make_user, make_workspace
from tests.web.conftest import csrf_of, log_in


def _setup(cx: Cxgap, client: TestClient, role: str = "analyst") -> None:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        make_user(session, f"{role}@example.com", workspace=workspace, role=role)
        make_user(session, "bo@example.com", workspace=workspace, role="analyst")
    log_in(client, f"{role}@example.com")


def _post(client: TestClient, path: str, expect: int = 303, **data: object) -> str:
    token = csrf_of(client.get("/w/acme/actions").text)
    response = client.post(path, data={**data, "csrf_token": token}, follow_redirects=False)
    assert response.status_code == expect, response.text[:500]
    return response.headers.get("location", response.text)


def test_an_analyst_plans_and_follows_an_action(
    sqlite_cx: Cxgap, sqlite_client: TestClient
) -> None:
    _setup(sqlite_cx, sqlite_client)
    pillars = sqlite_client.get("/w/acme/pillars").text
    assert 'href="/w/acme/actions/new?pillar=service"' in pillars
    form = sqlite_client.get("/w/acme/actions/new?pillar=service").text
    assert (
        '<option value="pillar" selected>' in form
    )  # tied to the pillar, its performance targeted
    where = _post(
        sqlite_client, "/w/acme/actions", title="Call back every detractor", subject_kind="pillar",
        subject_key="service", owner="bo@example.com", start_date="2026-01-05",
        due_date="2026-02-01", status="in_progress", progress="20", metric="pillar",
        pillar="service", segment="pro",
    )  # fmt: skip
    assert where.startswith("/w/acme/actions/")
    page = sqlite_client.get(where).text
    assert "Call back every detractor" in page and "bo@example.com" in page
    assert "A pillar’s performance · Customer service they receive" in page
    assert "segment Professionals" in page and "data-late" in page
    _post(sqlite_client, f"{where}/steps", title="Write the script", owner="bo@example.com")
    _post(sqlite_client, f"{where}/comments", body="Started in Lyon")
    with sqlite_cx.reading() as session:
        action = session.scalars(select(ActionRow)).one()
        step_id = action_notes.steps_of(session, action)[0].id
    _post(sqlite_client, f"{where}/steps/{step_id}", done="1")
    _post(sqlite_client, f"{where}/status", status="done", progress="60")
    french = sqlite_client.get(f"{where}?lang=fr").text
    assert "Terminée" in french and "Started in Lyon" in french and "data-done" in french
    assert "data-late" not in french and 'value="100"' in french
    listed = sqlite_client.get("/w/acme/actions?status=done").text
    assert "Call back every detractor" in listed
    assert "Call back every detractor" not in sqlite_client.get("/w/acme/actions?late=1").text
    _post(sqlite_client, f"{where}/delete")
    with sqlite_cx.reading() as session:
        assert session.scalars(select(ActionRow)).all() == []


def test_a_refused_form_comes_back_filled_with_the_problem_in_french(
    sqlite_cx: Cxgap, sqlite_client: TestClient
) -> None:
    _setup(sqlite_cx, sqlite_client)
    sqlite_client.get("/w/acme/actions?lang=fr")
    page = _post(
        sqlite_client, "/w/acme/actions", expect=422, title="Réécrire la FAQ",
        start_date="2026-03-01", due_date="2026-02-01", metric="topic_negative_share",
    )  # fmt: skip
    assert 'value="Réécrire la FAQ"' in page and "due_date" in page
    assert "est antérieure à la date de début 2026-03-01" in page
    with sqlite_cx.reading() as session:
        assert session.scalars(select(ActionRow)).all() == []
    where = _post(sqlite_client, "/w/acme/actions", title="FAQ", due_date="2026-02-01")
    page = _post(sqlite_client, where, expect=422, title="New title", owner="nobody@example.com")
    assert "n’est pas membre de cet espace" in page or "nobody@example.com" in page
    with sqlite_cx.reading() as session:  # the refused edit changed nothing
        action = session.scalars(select(ActionRow)).one()
        assert (action.title, action.due_date.isoformat()) == ("FAQ", "2026-02-01")


def test_viewers_read_and_cannot_act(sqlite_cx: Cxgap, sqlite_client: TestClient) -> None:
    _setup(sqlite_cx, sqlite_client, role="viewer")
    with sqlite_cx.transaction() as session:
        workspace = get_workspace(session, "acme")
        action = action_plans.create_action(
            session, workspace=workspace, values={"title": "Late one", "due_date": "2020-01-01"},
            actor_id=None,
        )  # fmt: skip
        action_id = action.id
    listed = sqlite_client.get("/w/acme/actions").text
    assert "Late one" in listed and "data-late" in listed and "/actions/new" not in listed
    assert sqlite_client.get(f"/w/acme/actions/{action_id}").status_code == 200
    assert sqlite_client.get("/w/acme/actions/new").status_code == 403
    token = csrf_of(listed)
    refused = sqlite_client.post(f"/w/acme/actions/{action_id}/status",
                                 data={"status": "done", "csrf_token": token})  # fmt: skip
    assert refused.status_code == 403
