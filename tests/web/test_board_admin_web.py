"""The idea board's settings on both databases: admins close the board (it only reads, with a
notice in both languages; new ideas, votes and comments refused by the service, whoever
calls it) and make it private (only people signed in with an address on its allow-list read
it; others get the sign-in page, addresses off the list cannot sign in); refusals name the
line; analysts and other workspaces are refused."""

from __future__ import annotations

import html

import pytest
from fastapi.testclient import TestClient

from cxgap.errors import ConflictError
from cxgap.services import board_access, idea_signin, ideas
from cxgap.services.community_people import person_by_email
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from tests.factories import make_user, make_workspace
from tests.web.conftest import csrf_of, log_in

SETTINGS = "/w/acme/community/board"
BOARD = "/community/acme/ideas"


@pytest.fixture
def acme(cx: Cxgap) -> dict[str, int]:
    with cx.transaction() as session:
        ws, other = make_workspace(session), make_workspace(session, "other", "Other")
        make_user(session, "ada@example.com", workspace=ws, role="admin")
        make_user(session, "ana@example.com", workspace=ws, role="analyst")
        make_user(session, "oz@example.com", workspace=other, role="admin")
        bea = person_by_email(session, workspace=ws, email="bea@partner.fr")
        zed = person_by_email(session, workspace=ws, email="zed@elsewhere.org")
        idea = ideas.submit_idea(session, workspace=ws, person=bea, title="Deliver on Saturdays")
        return {"idea": idea.id, "bea": bea.id, "zed": zed.id}


def _save(client: TestClient, **fields: str) -> object:
    token = csrf_of(client.get(SETTINGS).text)
    data = {"csrf_token": token, "state": "open", "visibility": "public", "allow_list": ""}
    return client.post(SETTINGS, data=data | fields, follow_redirects=False)


def test_a_closed_board_reads_and_refuses_ideas_votes_and_comments(
    client: TestClient, cx: Cxgap, acme: dict[str, int]
) -> None:
    log_in(client, "ada@example.com")
    saved = _save(client, state="closed")
    assert saved.status_code == 303  # type: ignore[attr-defined]
    french = client.get(BOARD, params={"lang": "fr"})
    assert french.status_code == 200 and "Deliver on Saturdays" in french.text
    assert "Ce tableau est fermé" in html.unescape(french.text)
    assert "data-vote=" not in french.text and "/ideas/new" not in french.text
    english = client.get(f"{BOARD}/{acme['idea']}", params={"lang": "en"})
    assert "This board is closed" in english.text and 'id="comment-form"' not in english.text
    assert client.get(f"{BOARD}/new", follow_redirects=False).status_code == 303
    token = csrf_of(french.text)
    voted = client.post(
        f"{BOARD}/{acme['idea']}/vote", data={"csrf_token": token}, params={"lang": "fr"}
    )
    assert voted.status_code == 409 and "Ce tableau est fermé" in html.unescape(voted.text)
    with cx.transaction() as session:  # the command line and the API meet the same refusal
        ws = get_workspace(session, "acme")
        bea = person_by_email(session, workspace=ws, email="bea@partner.fr")
        with pytest.raises(ConflictError):
            ideas.submit_idea(session, workspace=ws, person=bea, title="Gift wrapping please")
        with pytest.raises(ConflictError):
            ideas.comment(session, workspace=ws, idea_id=acme["idea"], body="+1", person=bea)
        ideas.comment(session, workspace=ws, idea_id=acme["idea"], body="Soon", user_id=None)
    assert _save(client, state="open").status_code == 303  # type: ignore[attr-defined]
    reopened = client.post(
        f"{BOARD}/{acme['idea']}/vote", data={"csrf_token": token}, follow_redirects=False
    )
    assert reopened.status_code == 303


def test_a_private_board_shows_only_to_allowed_addresses(
    client: TestClient, cx: Cxgap, acme: dict[str, int]
) -> None:
    log_in(client, "ada@example.com")
    saved = _save(client, visibility="private", allow_list="partner.fr\n# a note\nana@gmail.com")
    assert saved.status_code == 303  # type: ignore[attr-defined]
    with cx.transaction() as session:
        board = board_access.settings_of(session, get_workspace(session, "acme"))
    assert board.private and board.allow_list == ("partner.fr", "ana@gmail.com")
    visitor = TestClient(client.app)
    for path in (
        BOARD,
        "/community/acme/roadmap",
        "/community/acme/changelog",
        f"{BOARD}/{acme['idea']}",
        f"{BOARD}/new",
    ):
        refused = visitor.get(path, params={"lang": "fr"})
        assert refused.status_code == 403, path
        assert "est privé" in refused.text and 'action="/community/acme/signin"' in refused.text
        assert "Deliver on Saturdays" not in refused.text
    token = csrf_of(visitor.get(BOARD).text)
    assert (
        visitor.post(f"{BOARD}/{acme['idea']}/vote", data={"csrf_token": token}).status_code == 403
    )
    stranger = visitor.post(
        "/community/acme/signin",
        params={"lang": "en"},
        data={"csrf_token": token, "email": "eve@elsewhere.org"},
    )
    assert stranger.status_code == 403 and "not on the list" in stranger.text
    secret = cx.settings.resolved_secret_key()
    visitor.get(f"/community/acme/signin/{idea_signin.signin_token(secret, acme['bea'])}")
    inside = visitor.get(BOARD)
    assert inside.status_code == 200 and "Deliver on Saturdays" in inside.text
    outsider = TestClient(client.app)  # a link mailed before the list changed
    refused = outsider.get(
        f"/community/acme/signin/{idea_signin.signin_token(secret, acme['zed'])}"
    )
    assert refused.status_code == 403


def test_refused_settings_name_the_line_in_both_languages(
    client: TestClient, cx: Cxgap, acme: dict[str, int]
) -> None:
    log_in(client, "ada@example.com")
    empty = _save(client, visibility="private", allow_list="  \n")
    assert empty.status_code == 422  # type: ignore[attr-defined]
    assert "a private board needs at least one domain or address" in html.unescape(empty.text)  # type: ignore[attr-defined]
    token = csrf_of(client.get(SETTINGS).text)
    bad = client.post(
        SETTINGS,
        params={"lang": "fr"},
        data={
            "csrf_token": token,
            "visibility": "private",
            "allow_list": "partner.fr\nnot a domain\n@@x",
        },
    )
    assert bad.status_code == 422
    text = html.unescape(bad.text)
    assert "ligne 2, colonne « allow_list » : n'est ni un domaine e-mail ni une adresse" in text
    assert "valeur « not a domain »" in text and "ligne 3" in text
    assert "not a domain" in text  # what was typed is kept in the field
    with cx.transaction() as session:
        assert not board_access.settings_of(session, get_workspace(session, "acme")).private


def test_only_the_workspace_admins_change_the_board(
    client: TestClient, acme: dict[str, int]
) -> None:
    log_in(client, "ana@example.com")
    assert client.get(SETTINGS).status_code == 403
    log_in(client, "oz@example.com")
    assert client.get(SETTINGS).status_code == 404
