"""The team's idea board on both databases: viewers read, analysts change a status with a
message (the followers' e-mails queued, as from the command line), merge a duplicate,
moderate new ideas and add statuses; refusals name the field, another workspace is 404."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from cxgap.db.tables import CommunityPerson, Idea, IdeaStatus
from cxgap.services import idea_moderation, idea_notifications, ideas
from cxgap.services.community_people import person_by_email
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from tests.factories import make_user, make_workspace
from tests.web.conftest import csrf_of, log_in

PAGE = "/w/acme/ideas"


@pytest.fixture
def team(cx: Cxgap) -> dict[str, int]:
    with cx.transaction() as session:
        acme, other = make_workspace(session), make_workspace(session, "other", "Other")
        make_user(session, "ana@example.com", workspace=acme, role="analyst")
        make_user(session, "vic@example.com", workspace=acme, role="viewer")
        make_user(session, "oz@example.com", workspace=other, role="admin")
        bea = person_by_email(session, workspace=acme, email="bea@example.com")
        sam = person_by_email(session, workspace=acme, email="sam@example.com")
        post = ideas.submit_idea
        saturday = post(session, workspace=acme, person=bea, title="Deliver on Saturdays")
        twin = post(session, workspace=acme, person=sam, title="Weekend deliveries")
        idea_moderation.set_moderation(session, acme, True)
        spam = post(session, workspace=acme, person=sam, title="Cheap pills here", pending=True)
        good = post(session, workspace=acme, person=bea, title="Gift wrapping", pending=True)
        zed = person_by_email(session, workspace=other, email="zed@example.com")
        foreign = post(session, workspace=other, person=zed, title="Other board's idea")
        return {"saturday": saturday.id, "twin": twin.id, "spam": spam.id, "good": good.id,
                "foreign": foreign.id, "sam": sam.id}  # fmt: skip


def test_a_status_change_with_a_message_tells_the_followers(
    client: TestClient, cx: Cxgap, team: dict[str, int]
) -> None:
    log_in(client, "ana@example.com")
    page = client.get(PAGE)
    assert page.status_code == 200 and "Deliver on Saturdays" in page.text
    assert 'href="/w/acme/ideas" aria-current="page"' in page.text  # the workspace's tab
    changed = client.post(
        f"{PAGE}/{team['saturday']}/status",
        data={"csrf_token": csrf_of(page.text), "status": "planned", "message": "In March"},
        follow_redirects=False,
    )
    assert changed.status_code == 303
    with cx.transaction() as session:
        assert idea_notifications.pending(session) == 1  # bea, its author and voter
    public = client.get(f"/community/acme/ideas/{team['saturday']}")
    assert "In March" in public.text and ">Planned<" in public.text
    bad = client.post(
        f"{PAGE}/{team['saturday']}/status",
        data={"csrf_token": csrf_of(page.text), "status": "shipped"},
    )
    assert bad.status_code == 422 and "status" in bad.text and "must be one of" in bad.text
    assert (
        client.post(f"{PAGE}/{team['saturday']}/status", data={"status": "open"}).status_code == 403
    )
    foreign = client.post(
        f"/w/acme/ideas/{team['foreign']}/status",
        data={"csrf_token": csrf_of(page.text), "status": "planned"},
    )
    assert foreign.status_code == 404


def test_merging_a_duplicate_from_the_team_page(
    client: TestClient, cx: Cxgap, team: dict[str, int]
) -> None:
    log_in(client, "ana@example.com")
    token = csrf_of(client.get(PAGE).text)
    merged = client.post(
        f"{PAGE}/{team['twin']}/merge", data={"csrf_token": token, "into": team["saturday"]},
        follow_redirects=False,
    )  # fmt: skip
    assert merged.status_code == 303
    with cx.transaction() as session:
        assert session.get(Idea, team["twin"]).merged_into_id == team["saturday"]  # type: ignore[union-attr]
    assert "merged into “Deliver on Saturdays”" in client.get(PAGE).text
    again = client.post(
        f"{PAGE}/{team['saturday']}/merge", data={"csrf_token": token, "into": team["saturday"]}
    )
    assert again.status_code == 422 and "into" in again.text


def test_the_moderation_queue_approves_declines_and_blocks(
    client: TestClient, cx: Cxgap, team: dict[str, int]
) -> None:
    log_in(client, "ana@example.com")
    page = client.get(PAGE)
    assert f'data-pending="{team["spam"]}"' in page.text
    token = csrf_of(page.text)
    url = f"{PAGE}/{{}}/moderation"
    client.post(url.format(team["good"]), data={"csrf_token": token, "decision": "approve"})
    client.post(url.format(team["spam"]), data={"csrf_token": token, "decision": "block"})
    assert "Gift wrapping" in client.get("/community/acme/ideas").text
    assert "Cheap pills" not in client.get("/community/acme/ideas").text
    with cx.transaction() as session:
        assert session.get(CommunityPerson, team["sam"]).blocked  # type: ignore[union-attr]
    twice = client.post(url.format(team["good"]), data={"csrf_token": token, "decision": "decline"})
    assert twice.status_code == 409
    client.post(f"{PAGE}/settings", data={"csrf_token": token})  # unticked: no moderation
    with cx.transaction() as session:
        assert not idea_moderation.moderated(session, get_workspace(session, "acme"))


def test_adding_a_status(client: TestClient, cx: Cxgap, team: dict[str, int]) -> None:
    log_in(client, "ana@example.com")
    token = csrf_of(client.get(PAGE).text)
    fields = {"csrf_token": token, "status_key": "beta", "kind": "started",
              "name_en": "In beta", "name_fr": "En bêta"}  # fmt: skip
    assert client.post(f"{PAGE}/statuses", data=fields, follow_redirects=False).status_code == 303
    assert 'data-status-key="beta"' in client.get(PAGE).text
    assert client.post(f"{PAGE}/statuses", data=fields).status_code == 409
    bad = client.post(f"{PAGE}/statuses", data={**fields, "status_key": "Beta Two"})
    assert bad.status_code == 422 and "key" in bad.text
    kind = client.post(f"{PAGE}/statuses", data={**fields, "status_key": "b2", "kind": "soon"})
    assert kind.status_code == 422 and "kind" in kind.text
    with cx.transaction() as session:
        keys = session.scalars(select(IdeaStatus.key).where(IdeaStatus.key.like("b%")))
        assert set(keys) == {"beta"}


def test_viewers_read_and_other_workspaces_do_not(
    client: TestClient, cx: Cxgap, team: dict[str, int]
) -> None:
    log_in(client, "vic@example.com")
    page = client.get(PAGE + "?lang=fr")
    assert page.status_code == 200 and "Vous pouvez consulter le tableau" in page.text
    assert "data-status-form" not in page.text
    refused = client.post(
        f"{PAGE}/{team['saturday']}/status",
        data={"csrf_token": csrf_of(page.text), "status": "planned"},
    )
    assert refused.status_code == 403
    client.post("/logout", data={"csrf_token": csrf_of(page.text)})
    log_in(client, "oz@example.com")
    assert client.get(PAGE).status_code == 404
