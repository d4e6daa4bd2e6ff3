"""The rules page edits teams, not only adds them: rename a team, change who is in it and
delete it (a case it had keeps its history); French and English; a wrong name is refused."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from cxgap.db.tables import CaseEvent, CaseRow, Team, TeamMember, User
from cxgap.services import cases, teams
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from tests.factories import make_user, make_workspace
from tests.web.conftest import csrf_of, log_in


def _post(client: TestClient, path: str, **data: object) -> str:
    token = csrf_of(client.get("/w/acme/cases/rules").text)
    response = client.post(path, data={**data, "csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303, response.text[:500]
    return response.headers["location"]


def _members(cx: Cxgap, team_key: str) -> list[str]:
    with cx.reading() as session:
        rows = session.scalars(
            select(User.email)
            .join(TeamMember, TeamMember.user_id == User.id)
            .join(Team, Team.id == TeamMember.team_id)
            .where(Team.key == team_key)
            .order_by(User.email)
        )
        return list(rows)


def test_a_team_is_renamed_its_members_changed_then_deleted(cx: Cxgap, client: TestClient) -> None:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        make_user(session, "ana@example.com", workspace=workspace, role="analyst")
        make_user(session, "bo@example.com", workspace=workspace, role="analyst")
        make_user(session, "cy@example.com", workspace=workspace, role="viewer")
    log_in(client, "ana@example.com")
    _post(client, "/w/acme/cases/teams", team_key="care", name="Care", members=["bo@example.com"])
    with cx.transaction() as session:
        case, _ = cases.open_case(
            session, workspace=get_workspace(session, "acme"), subject="Late", actor_id=None
        )
        cases.assign(
            session, case=case, assignee_email=None, team_key="care", actor_id=None
        )  # fmt: skip

    page = client.get("/w/acme/cases/rules").text
    assert 'data-team="care"' in page and 'value="Care"' in page
    assert "<option selected>bo@example.com</option>" in page
    assert "<option>ana@example.com</option>" in page

    where = _post(client, "/w/acme/cases/teams/care", name="Customer care",
                  members=["ana@example.com", "cy@example.com"])  # fmt: skip
    assert where == "/w/acme/cases/rules#team-care"
    assert _members(cx, "care") == ["ana@example.com", "cy@example.com"]
    queue = client.get("/w/acme/cases").text  # the queue names the team as people call it
    assert '<span class="muted small" data-team="care">Customer care</span>' in queue
    french = client.get("/w/acme/cases/rules?lang=fr").text
    assert "Customer care" in french and "Enregistrer l’équipe" in french
    assert "Supprimer l’équipe" in french and "ana@example.com, cy@example.com" in french
    english = client.get("/w/acme/cases/rules?lang=en").text
    assert "Save the team" in english and "Delete the team" in english

    _post(client, "/w/acme/cases/teams/care", name="Customer care", members=[])
    assert _members(cx, "care") == []

    token = csrf_of(client.get("/w/acme/cases/rules").text)
    refused = client.post("/w/acme/cases/teams/care", data={"name": " ", "csrf_token": token})
    assert refused.status_code == 422 and "name" in refused.text
    stranger = client.post(
        "/w/acme/cases/teams/care",
        data={"name": "Care", "members": ["nobody@example.com"], "csrf_token": token},
    )
    assert stranger.status_code in (404, 422) and "nobody@example.com" in stranger.text
    missing = client.post("/w/acme/cases/teams/nope/delete", data={"csrf_token": token})
    assert missing.status_code == 422 and "nope" in missing.text

    assert _post(client, "/w/acme/cases/teams/care/delete") == "/w/acme/cases/rules#teams"
    with cx.reading() as session:
        assert session.scalars(select(Team)).all() == []
        row = session.scalars(select(CaseRow)).one()
        assert row.team_id is None
        kinds = session.scalars(select(CaseEvent.type).where(CaseEvent.case_id == row.id))
        assert "assign" in list(kinds)
    assert 'data-team="care"' not in client.get("/w/acme/cases/rules").text


def test_a_viewer_cannot_change_a_team(cx: Cxgap, client: TestClient) -> None:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        make_user(session, "cy@example.com", workspace=workspace, role="viewer")
        teams.create_team(session, workspace=workspace, key="care", name="Care")
    log_in(client, "cy@example.com")
    token = csrf_of(client.get("/w/acme/cases").text)
    for path in ("/w/acme/cases/teams/care", "/w/acme/cases/teams/care/delete"):
        refused = client.post(path, data={"name": "Mine", "csrf_token": token})
        assert refused.status_code == 403
    with cx.reading() as session:
        assert session.scalars(select(Team.name)).one() == "Care"
