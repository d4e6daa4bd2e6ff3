"""Posting on the idea board on both databases: the e-mail sign-in link (sent through the
real SMTP server on loopback, followed, merging the browser's anonymous votes), a new idea
with the ideas like it, comments; and the refusals (bad input naming the field, honeypot,
CSRF, rate limit, blocked person, no e-mail configured, a forged or expired link)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from cxgap.db.tables import CommunityPerson, Idea, IdeaComment, IdeaVote
from cxgap.services import idea_moderation, idea_signin, ideas
from cxgap.services.community_people import person_by_email
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from cxgap.web import community_identity
from tests.factories import make_workspace
from tests.smtp_server import SmtpServer, smtp_server
from tests.web.conftest import csrf_of

__all__ = ["smtp_server"]
BOARD = "/community/acme/ideas"
NEW = f"{BOARD}/new"


@pytest.fixture
def acme(cx: Cxgap) -> dict[str, int]:
    with cx.transaction() as session:
        acme, other = make_workspace(session), make_workspace(session, "other", "Other")
        ana = person_by_email(session, workspace=acme, email="ana@example.com")
        saturday = ideas.submit_idea(
            session, workspace=acme, person=ana, title="Deliver on Saturdays",
            description="Weekend delivery for people who work all week",
        )  # fmt: skip
        zed = person_by_email(session, workspace=other, email="zed@example.com")
        foreign = ideas.submit_idea(session, workspace=other, person=zed, title="Other idea")
        return {"saturday": saturday.id, "foreign": foreign.id, "zed": zed.id}


def _link(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    found = re.search(r"http://testserver(/community/acme/signin/\S+)", body.get_content())
    assert found, body.get_content()
    return found.group(1)


def _sign_in(client: TestClient, smtp: SmtpServer, email: str, next_path: str = BOARD) -> None:
    token = csrf_of(client.get(NEW).text)
    sent = client.post(
        "/community/acme/signin", data={"csrf_token": token, "email": email, "next": next_path}
    )
    assert sent.status_code == 200 and "Check your e-mail" in sent.text
    (message,) = smtp.wait_for(len(smtp.messages) or 1)[-1:]
    followed = client.get(_link(message), follow_redirects=False)
    assert followed.status_code == 303 and followed.headers["location"] == next_path


def _count(cx: Cxgap, query: object) -> int:
    with cx.transaction() as session:
        return int(session.scalar(query) or 0)  # type: ignore[call-overload]


def test_signing_in_by_e_mail_keeps_the_browsers_votes_and_posts_the_idea(
    client: TestClient, cx: Cxgap, acme: dict[str, int], smtp_server: SmtpServer
) -> None:
    smtp_server.configure(cx)
    token = csrf_of(client.get(BOARD).text)
    client.post(f"{BOARD}/{acme['saturday']}/vote", data={"csrf_token": token})  # anonymous
    form = client.get(NEW)
    assert 'data-similar-url="/community/acme/ideas/similar"' in form.text
    assert "data-no-mail" not in form.text
    fields = {"csrf_token": csrf_of(form.text), "title": "Dark mode for the app",
              "description": "Easier on the eyes", "email": "Bea@Example.com"}  # fmt: skip
    sent = client.post(NEW, data=fields)
    assert sent.status_code == 200 and "data-sent" in sent.text
    (message,) = smtp_server.wait_for(1)
    assert message["To"].addresses[0].addr_spec == "bea@example.com"
    assert "Your link to sign in to the Acme ideas" in message["Subject"]
    assert _count(cx, select(func.count()).select_from(Idea)) == 2  # not posted yet
    followed = client.get(_link(message), follow_redirects=False)
    assert followed.headers["location"] == NEW
    restored = client.get(NEW)  # the draft waits in the form, and no e-mail is asked for now
    assert 'value="Dark mode for the app"' in restored.text and 'name="email"' not in restored.text
    posted = client.post(
        NEW,
        data={
            "csrf_token": csrf_of(restored.text),
            "title": "Dark mode for the app",
            "description": "Easier on the eyes",
        },
        follow_redirects=False,
    )
    assert posted.status_code == 303
    idea_id = int(posted.headers["location"].rsplit("/", 1)[1])
    with cx.transaction() as session:
        bea = session.scalar(
            select(CommunityPerson).where(CommunityPerson.email == "bea@example.com")
        )
        assert bea is not None
        voters = set(
            session.scalars(select(IdeaVote.person_id).where(IdeaVote.idea_id == acme["saturday"]))
        )
        assert bea.id in voters  # the anonymous vote became hers
        anonymous = session.scalars(
            select(CommunityPerson.id).where(CommunityPerson.email.is_(None))
        )
        assert not voters & set(anonymous)
        assert session.get(Idea, idea_id).author_id == bea.id  # type: ignore[union-attr]
    page = client.get(posted.headers["location"])
    assert "Dark mode for the app" in page.text and 'id="comment-form"' in page.text


def test_ideas_like_the_title_are_shown_before_posting(
    client: TestClient, cx: Cxgap, acme: dict[str, int], smtp_server: SmtpServer
) -> None:
    live = client.get(f"{BOARD}/similar", params={"q": "saturday deliveries"}).json()
    assert live == {"ideas": [{"id": acme["saturday"], "title": "Deliver on Saturdays",
                               "url": f"{BOARD}/{acme['saturday']}"}]}  # fmt: skip
    assert client.get(f"{BOARD}/similar", params={"q": "other idea"}).json() == {"ideas": []}
    smtp_server.configure(cx)
    _sign_in(client, smtp_server, "bea@example.com", NEW)
    fields = {"csrf_token": csrf_of(client.get(NEW).text), "title": "Saturday deliveries"}
    shown = client.post(NEW, data=fields, follow_redirects=False)
    assert shown.status_code == 200 and "Ideas like yours" in shown.text
    assert f'href="{BOARD}/{acme["saturday"]}"' in shown.text
    assert 'name="confirm" value="1"' in shown.text
    assert _count(cx, select(func.count()).select_from(Idea)) == 2
    confirmed = client.post(NEW, data={**fields, "confirm": "1"}, follow_redirects=False)
    assert confirmed.status_code == 303
    assert _count(cx, select(func.count()).select_from(Idea)) == 3


def test_a_moderated_board_holds_new_ideas_for_their_author_only(
    client: TestClient, cx: Cxgap, acme: dict[str, int], smtp_server: SmtpServer
) -> None:
    with cx.transaction() as session:
        idea_moderation.set_moderation(session, get_workspace(session, "acme"), True)
    smtp_server.configure(cx)
    _sign_in(client, smtp_server, "bea@example.com", NEW)
    fields = {"csrf_token": csrf_of(client.get(NEW).text), "title": "Gift wrapping"}
    posted = client.post(NEW, data=fields, follow_redirects=False)
    page = client.get(posted.headers["location"])
    assert page.status_code == 200 and "waiting for a moderator" in page.text
    assert "Gift wrapping" not in client.get(BOARD).text
    with TestClient(client.app) as stranger:
        assert stranger.get(posted.headers["location"]).status_code == 404


def test_bad_input_names_the_field_and_stores_nothing(
    client: TestClient, cx: Cxgap, acme: dict[str, int], smtp_server: SmtpServer
) -> None:
    smtp_server.configure(cx)
    token = csrf_of(client.get(NEW).text)
    short = client.post(NEW, data={"csrf_token": token, "title": "Hi", "email": "a@b.example"})
    assert short.status_code == 422 and "title" in short.text and "at least 5" in short.text
    address = client.post(
        NEW, data={"csrf_token": token, "title": "Gift wrapping", "email": "nope"}
    )
    assert address.status_code == 422 and 'id="email-error"' in address.text
    french = client.post(f"{NEW}?lang=fr", data={"csrf_token": token, "title": ""})
    assert french.status_code == 422 and "champ « title » : est obligatoire" in french.text
    assert smtp_server.messages == []
    assert _count(cx, select(func.count()).select_from(Idea)) == 2


def test_the_honeypot_csrf_and_rate_limit_guard_every_form(
    client: TestClient,
    cx: Cxgap,
    acme: dict[str, int],
    smtp_server: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    smtp_server.configure(cx)
    token = csrf_of(client.get(NEW).text)
    bot = {"csrf_token": token, "title": "Cheap pills here", "email": "bot@example.com",
           "website": "http://spam.example"}  # fmt: skip
    assert client.post(NEW, data=bot, follow_redirects=False).status_code == 303
    assert client.post("/community/acme/signin", data=bot).status_code == 200
    assert smtp_server.messages == []  # the bot is told "sent"; nothing is
    assert client.post(NEW, data={"title": "Gift wrapping"}).status_code == 403
    assert client.post("/community/acme/signin", data={"email": "a@example.com"}).status_code == 403
    comment = f"{BOARD}/{acme['saturday']}/comments"
    assert client.post(comment, data={"body": "Yes"}).status_code == 403
    monkeypatch.setitem(community_identity.LIMITS, "signin", 1)
    once = {"csrf_token": token, "email": "bea@example.com"}
    assert client.post("/community/acme/signin", data=once).status_code == 200
    again = client.post("/community/acme/signin", data=once)
    assert again.status_code == 429 and "Too many requests" in again.text
    assert len(smtp_server.wait_for(1)) == 1


def test_comments_need_a_signed_in_person_who_is_not_blocked(
    client: TestClient, cx: Cxgap, acme: dict[str, int], smtp_server: SmtpServer
) -> None:
    url = f"{BOARD}/{acme['saturday']}"
    page = client.get(url)
    assert "data-signin" in page.text and 'id="comment-form"' not in page.text
    refused = client.post(f"{url}/comments", data={"csrf_token": csrf_of(page.text), "body": "Yes"})
    assert refused.status_code == 403 and "Sign in with your e-mail address" in refused.text
    smtp_server.configure(cx)
    _sign_in(client, smtp_server, "bea@example.com", url)
    token = csrf_of(client.get(url).text)
    empty = client.post(f"{url}/comments", data={"csrf_token": token, "body": "  "})
    assert empty.status_code == 422 and "body" in empty.text
    client.post(f"{url}/comments", data={"csrf_token": token, "body": "Yes, on Saturdays!"})
    assert "Yes, on Saturdays!" in client.get(url).text
    foreign = client.post(
        f"{BOARD}/{acme['foreign']}/comments", data={"csrf_token": token, "body": "Hi"}
    )
    assert foreign.status_code == 404
    with cx.transaction() as session:
        bea = session.scalar(
            select(CommunityPerson).where(CommunityPerson.email == "bea@example.com")
        )
        bea.blocked = True  # type: ignore[union-attr]
    blocked = client.post(f"{url}/comments?lang=fr", data={"csrf_token": token, "body": "Again"})
    assert blocked.status_code == 403 and "modérateurs" in blocked.text
    vote = client.post(f"{url}/vote", data={"csrf_token": token})
    assert vote.status_code == 403
    assert _count(cx, select(func.count()).select_from(IdeaComment)) == 1


def test_without_e_mail_the_pages_say_so_and_voting_still_works(
    client: TestClient, cx: Cxgap, acme: dict[str, int]
) -> None:
    for lang, text in (("en", "E-mail is not set up"), ("fr", "L&#39;e-mail n&#39;est pas encore")):
        form = client.get(f"{NEW}?lang={lang}")
        assert "data-no-mail" in form.text and text in form.text
    token = csrf_of(form.text)
    refused = client.post(
        "/community/acme/signin", data={"csrf_token": token, "email": "a@example.com"}
    )
    assert refused.status_code == 200 and "data-no-mail" not in refused.text
    assert 'data-signin-state="no_mail"' in refused.text
    assert (
        client.post(f"{BOARD}/{acme['saturday']}/vote", data={"csrf_token": token}).status_code
        == 200
    )


def test_forged_expired_and_foreign_links_are_refused(
    client: TestClient, cx: Cxgap, acme: dict[str, int]
) -> None:
    secret = cx.settings.resolved_secret_key()
    with cx.transaction() as session:
        ana = person_by_email(
            session, workspace=get_workspace(session, "acme"), email="ana@example.com"
        )
        good = idea_signin.signin_token(secret, ana.id)
        old = idea_signin.signin_token(secret, ana.id, datetime.now(UTC) - timedelta(hours=1))
    forged = good[:-1] + ("0" if good[-1] != "0" else "1")
    assert client.get(f"/community/acme/signin/{forged}").status_code == 404
    expired = client.get(f"/community/acme/signin/{old}")
    assert expired.status_code == 404 and "expired" in expired.text
    other = idea_signin.signin_token(secret, acme["zed"])
    assert client.get(f"/community/acme/signin/{other}").status_code == 404
    assert client.get(f"/community/acme/signin/{good}", follow_redirects=False).status_code == 303
