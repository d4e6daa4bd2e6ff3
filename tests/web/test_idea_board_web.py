"""The idea board's public pages on both databases: the board (sorts, filters, statuses in the
reader's language), voting as an anonymous browser, an idea's page, the roadmap and the
changelog; and their refusals (CSRF, rate limit, another workspace's idea)."""

from __future__ import annotations

import dataclasses
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from cxgap.db.tables import IdeaTag, IdeaTagLink, IdeaVote
from cxgap.services import idea_statuses, ideas
from cxgap.services.community_people import person_by_email
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from cxgap.web import community_identity
from tests.factories import make_workspace
from tests.web.conftest import csrf_of

BOARD = "/community/acme/ideas"


@pytest.fixture
def board(cx: Cxgap) -> dict[str, int]:
    """Three ideas on acme's board (one planned with a message, one completed, one
    pending), one merged duplicate, and one idea on another workspace's board."""
    with cx.transaction() as session:
        acme, other = make_workspace(session), make_workspace(session, "other", "Other")
        ana = person_by_email(session, workspace=acme, email="ana@example.com")
        bob = person_by_email(session, workspace=acme, email="bob@example.com")
        post = ideas.submit_idea
        saturday = post(session, workspace=acme, person=ana, title="Deliver on Saturdays")
        dark = post(session, workspace=acme, person=bob, title="Dark mode in the app")
        ideas.vote(session, workspace=acme, idea_id=dark.id, person=ana)
        built = post(session, workspace=acme, person=bob, title="Pay in three instalments")
        hidden = post(session, workspace=acme, person=ana, title="Secret wish", pending=True)
        twin = post(session, workspace=acme, person=bob, title="Weekend deliveries please")
        idea_statuses.change_status(
            session, workspace=acme, idea_id=saturday.id, status="planned",
            message="Coming in March",
        )  # fmt: skip
        idea_statuses.change_status(
            session, workspace=acme, idea_id=built.id, status="completed", message="Live now"
        )
        idea_statuses.merge_idea(session, workspace=acme, idea_id=twin.id, into_id=saturday.id)
        them = person_by_email(session, workspace=other, email="zed@example.com")
        foreign = post(session, workspace=other, person=them, title="Other board's idea")
        return {
            "saturday": saturday.id, "dark": dark.id, "built": built.id, "hidden": hidden.id,
            "twin": twin.id, "foreign": foreign.id,
        }  # fmt: skip


def _votes(cx: Cxgap, idea_id: int) -> int:
    with cx.transaction() as session:
        query = select(func.count()).where(IdeaVote.idea_id == idea_id)
        return session.scalar(query) or 0


def test_the_board_lists_approved_ideas_with_statuses_in_the_readers_language(
    client: TestClient, board: dict[str, int]
) -> None:
    page = client.get(BOARD, params={"sort": "most_voted"})
    assert page.status_code == 200
    ids = [int(i) for i in re.findall(r'<li class="ib-line" data-idea="(\d+)"', page.text)]
    assert ids[0] == board["dark"]  # two votes
    assert set(ids) == {board["saturday"], board["dark"], board["built"]}  # no pending, merged
    assert "Secret wish" not in page.text and "Weekend deliveries" not in page.text
    assert ">Planned<" in page.text and ">Built<" in page.text
    french = client.get(BOARD, params={"lang": "fr", "status": "completed"})
    assert ">Réalisée<" in french.text and "Pay in three instalments" in french.text
    assert "Dark mode" not in french.text  # filtered by status
    assert client.get(BOARD, params={"sort": "loudest"}).status_code == 422  # names the field
    assert client.get("/community/nowhere/ideas").status_code == 404


def test_an_anonymous_browser_votes_once_and_takes_its_vote_back(
    client: TestClient, cx: Cxgap, board: dict[str, int]
) -> None:
    token = csrf_of(client.get(BOARD).text)
    url = f"{BOARD}/{board['saturday']}/vote"
    before = _votes(cx, board["saturday"])  # ana's, and bob's from the merged duplicate
    assert before == 2
    sent = client.post(url, data={"csrf_token": token, "next": BOARD}, follow_redirects=False)
    assert sent.status_code == 303 and sent.headers["location"] == BOARD
    cookie = sent.headers["set-cookie"]
    assert "cxgap_board=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert _votes(cx, board["saturday"]) == 3
    client.post(url, data={"csrf_token": token})  # the same browser again: still one vote
    assert _votes(cx, board["saturday"]) == 3
    page = client.get(BOARD)
    assert f'aria-pressed="true" data-vote="{board["saturday"]}"' in page.text
    client.post(url, data={"csrf_token": token, "action": "unvote"})
    assert _votes(cx, board["saturday"]) == 2
    # Someone else's browser is someone else.
    with TestClient(client.app) as other:
        other_token = csrf_of(other.get(BOARD).text)
        other.post(url, data={"csrf_token": other_token})
    assert _votes(cx, board["saturday"]) == 3


def test_votes_are_refused_without_csrf_on_closed_ideas_and_on_another_board(
    client: TestClient, cx: Cxgap, board: dict[str, int]
) -> None:
    url = f"{BOARD}/{board['saturday']}/vote"
    assert client.post(url, data={}).status_code == 403
    token = csrf_of(client.get(BOARD).text)
    assert client.post(url, data={"csrf_token": "forged"}).status_code == 403
    assert _votes(cx, board["saturday"]) == 2
    built = client.post(f"{BOARD}/{board['built']}/vote", data={"csrf_token": token})
    assert built.status_code == 409 and "takes no more votes" in built.text
    foreign = client.post(f"{BOARD}/{board['foreign']}/vote", data={"csrf_token": token})
    assert foreign.status_code == 404
    assert _votes(cx, board["foreign"]) == 1


def test_votes_past_the_hourly_limit_are_refused_with_429(
    client: TestClient, cx: Cxgap, board: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(community_identity.LIMITS, "vote", 2)
    token = csrf_of(client.get(BOARD).text)
    url = f"{BOARD}/{board['dark']}/vote"
    for action in ("vote", "unvote"):
        assert client.post(url, data={"csrf_token": token, "action": action}).status_code == 200
    refused = client.post(url, data={"csrf_token": token}, headers={"accept-language": "fr"})
    assert refused.status_code == 429 and "Trop de demandes" in refused.text
    assert _votes(cx, board["dark"]) == 2


def test_an_ideas_page_shows_its_history_and_the_teams_message(
    client: TestClient, board: dict[str, int]
) -> None:
    page = client.get(f"{BOARD}/{board['saturday']}?lang=fr")
    assert page.status_code == 200
    assert "Deliver on Saturdays" in page.text and "Coming in March" in page.text
    assert "Le message de l&#39;équipe" in page.text and ">Prévue<" in page.text
    assert page.text.count("data-change") == 1  # its own history: planned
    merged = client.get(f"{BOARD}/{board['twin']}", follow_redirects=False)
    assert merged.status_code == 303
    assert merged.headers["location"] == f"{BOARD}/{board['saturday']}"
    assert client.get(f"{BOARD}/{board['hidden']}").status_code == 404  # waits for moderation
    assert client.get(f"{BOARD}/{board['foreign']}").status_code == 404
    assert client.get(f"{BOARD}/999999").status_code == 404


def test_following_from_an_ideas_page(client: TestClient, cx: Cxgap, board: dict[str, int]) -> None:
    url = f"{BOARD}/{board['built']}"
    token = csrf_of(client.get(url).text)
    client.post(f"{url}/follow", data={"csrf_token": token})
    assert "Stop following" in client.get(url).text
    client.post(f"{url}/follow", data={"csrf_token": token, "action": "unfollow"})
    assert "Stop following" not in client.get(url).text
    assert client.post(f"{url}/follow", data={}).status_code == 403


def test_the_roadmap_and_the_changelog(client: TestClient, board: dict[str, int]) -> None:
    roadmap = client.get("/community/acme/roadmap")
    assert roadmap.status_code == 200
    planned = roadmap.text.split('data-column="planned"')[1].split("</section>")[0]
    assert "Deliver on Saturdays" in planned and "Dark mode" not in planned
    built = roadmap.text.split('data-column="completed"')[1].split("</section>")[0]
    assert "Pay in three instalments" in built
    changelog = client.get("/community/acme/changelog?lang=fr")
    assert "Pay in three instalments" in changelog.text and "Live now" in changelog.text
    assert "Deliver on Saturdays" not in changelog.text
    assert "Les nouveautés Acme" in changelog.text


def test_the_browser_cookie_is_secure_where_the_site_is_served_over_https(
    client: TestClient, cx: Cxgap, board: dict[str, int]
) -> None:
    cx.settings = dataclasses.replace(cx.settings, secure_cookies=True)
    token = csrf_of(client.get(BOARD).text)
    sent = client.post(
        f"{BOARD}/{board['dark']}/vote", data={"csrf_token": token}, follow_redirects=False
    )
    cookie = next(c for c in sent.headers.get_list("set-cookie") if c.startswith("cxgap_board="))
    assert "Secure" in cookie and "HttpOnly" in cookie


def test_the_board_filters_by_tag(client: TestClient, cx: Cxgap, board: dict[str, int]) -> None:
    with cx.transaction() as session:
        acme = get_workspace(session, "acme")
        tag = IdeaTag(workspace_id=acme.id, key="delivery", name_en="Delivery", name_fr="Livraison")
        session.add(tag)
        session.flush()
        session.add(IdeaTagLink(idea_id=board["saturday"], tag_id=tag.id))
    french = client.get(BOARD, params={"lang": "fr"})
    assert '<option value="delivery">Livraison</option>' in french.text
    tagged = client.get(BOARD, params={"tag": "delivery"})
    assert "Deliver on Saturdays" in tagged.text and "Dark mode" not in tagged.text
