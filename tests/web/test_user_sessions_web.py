"""Revocable sessions: a copied session cookie stops working once its session is ended, by a
logout, a password change, an admin's "sign out everywhere", or expiry (issue 10, Medium)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from cxgap.db import tables
from cxgap.db.tables import User
from cxgap.services.core import Cxgap
from tests.factories import PASSWORD, make_user, make_workspace
from tests.web.conftest import csrf_of, log_in

COOKIE = "cxgap_session"
NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def acme(cx: Cxgap) -> Cxgap:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        make_user(session, "admin@example.com", workspace=workspace, role="admin")
        make_user(session, "ana@example.com", workspace=workspace, role="analyst")
        make_user(session, "root@example.com", workspace=workspace, role="admin", superuser=True)
    return cx


def _browser(client: TestClient, email: str) -> TestClient:
    """Another browser on the same server, signed in as ``email``."""
    other = TestClient(client.app)
    log_in(other, email)
    return other


def _copy(client: TestClient) -> TestClient:
    """What a thief does with a copied cookie: replays it from elsewhere."""
    thief = TestClient(client.app)
    cookie = client.cookies.get(COOKIE)
    assert cookie
    thief.cookies.set(COOKIE, cookie)
    return thief


def _refused(thief: TestClient) -> None:
    """The copied cookie gets the login page, and nothing else."""
    page = thief.get("/account", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login")
    data = thief.get("/w/acme/listening/verbatims.json", follow_redirects=False)
    assert data.status_code == 401
    assert "ana@example.com" not in thief.get("/account").text


def _works(browser: TestClient, email: str) -> None:
    page = browser.get("/account", follow_redirects=False)
    assert page.status_code == 200 and email in page.text


def test_a_copied_cookie_dies_with_the_logout(acme: Cxgap, client: TestClient) -> None:
    log_in(client, "ana@example.com")
    thief = _copy(client)
    _works(thief, "ana@example.com")  # the attack: the copy works while the session lives
    client.post("/logout", data={"csrf_token": csrf_of(client.get("/account").text)})
    _refused(thief)


def test_a_password_change_ends_every_other_session(acme: Cxgap, client: TestClient) -> None:
    log_in(client, "ana@example.com")
    thief = _copy(client)
    laptop = _browser(client, "ana@example.com")
    response = client.post(
        "/account/password",
        data={
            "csrf_token": csrf_of(client.get("/account").text),
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
        },
    )
    assert response.status_code == 200
    _refused(thief)
    _refused(laptop)
    # The browser that changed the password stays signed in, under a new session id: even a
    # copy of its own earlier cookie is useless.
    _works(client, "ana@example.com")


def test_an_admin_signs_a_member_out_everywhere(acme: Cxgap, client: TestClient) -> None:
    member = _browser(client, "ana@example.com")
    thief = _copy(member)
    log_in(client, "admin@example.com")
    with acme.reading() as session:
        ana = session.scalar(select(User.id).where(User.email == "ana@example.com"))
    page = client.get("/w/acme/members").text
    assert f"/w/acme/members/{ana}/sessions/end" in page
    done = client.post(f"/w/acme/members/{ana}/sessions/end", data={"csrf_token": csrf_of(page)})
    assert done.status_code == 200 and "ana@example.com is signed out of every browser" in done.text
    _refused(thief)
    _refused(member)
    _works(client, "admin@example.com")


def test_a_workspace_admin_cannot_sign_out_a_site_administrator(
    acme: Cxgap, client: TestClient
) -> None:
    root = _browser(client, "root@example.com")
    log_in(client, "admin@example.com")
    with acme.reading() as session:
        root_id = session.scalar(select(User.id).where(User.email == "root@example.com"))
    page = client.get("/w/acme/members").text
    assert f"/members/{root_id}/sessions/end" not in page
    refused = client.post(
        f"/w/acme/members/{root_id}/sessions/end", data={"csrf_token": csrf_of(page)}
    )
    assert refused.status_code == 403
    _works(root, "root@example.com")


def test_a_forced_password_reset_signs_the_member_out(acme: Cxgap, client: TestClient) -> None:
    member = _browser(client, "ana@example.com")
    log_in(client, "admin@example.com")
    with acme.reading() as session:
        ana = session.scalar(select(User.id).where(User.email == "ana@example.com"))
    page = client.get("/w/acme/members").text
    client.post(f"/w/acme/members/{ana}/password", data={"csrf_token": csrf_of(page)})
    _refused(member)


def test_sign_out_everywhere_on_the_account_page(acme: Cxgap, client: TestClient) -> None:
    log_in(client, "ana@example.com")
    phone = _browser(client, "ana@example.com")
    thief = _copy(client)
    page = phone.get("/account").text
    assert "Where you are signed in" in page and page.count("/account/sessions/") >= 3
    out = phone.post(
        "/account/sessions/end-all", data={"csrf_token": csrf_of(page)}, follow_redirects=False
    )
    assert out.status_code == 303 and out.headers["location"] == "/login"
    for browser in (client, phone, thief):
        _refused(browser)


def test_one_session_is_ended_from_the_list(acme: Cxgap, client: TestClient) -> None:
    log_in(client, "ana@example.com")
    lost_phone = _browser(client, "ana@example.com")
    with acme.reading() as session:
        rows = session.scalars(select(tables.UserSession).order_by(tables.UserSession.id)).all()
    phone_row = rows[-1]
    page = client.get("/account").text
    response = client.post(
        f"/account/sessions/{phone_row.id}/end", data={"csrf_token": csrf_of(page)}
    )
    assert response.status_code == 200 and "That session is signed out" in response.text
    _refused(lost_phone)
    _works(client, "ana@example.com")


def test_someone_elses_session_cannot_be_ended(acme: Cxgap, client: TestClient) -> None:
    admin = _browser(client, "admin@example.com")
    log_in(client, "ana@example.com")
    with acme.reading() as session:
        admin_id = session.scalar(select(User.id).where(User.email == "admin@example.com"))
        row = session.scalar(
            select(tables.UserSession).where(tables.UserSession.user_id == admin_id)
        )
        assert row is not None
    page = client.get("/account").text
    assert (
        client.post(
            f"/account/sessions/{row.id}/end", data={"csrf_token": csrf_of(page)}
        ).status_code
        == 404
    )
    _works(admin, "admin@example.com")


def _age(cx: Cxgap, *, idle: timedelta | None = None, expires: timedelta | None = None) -> None:
    now = datetime.now(UTC)
    with cx.transaction() as session:
        for row in session.scalars(select(tables.UserSession)):
            if idle is not None:
                row.last_seen_at = now - idle
            if expires is not None:
                row.expires_at = now + expires


def test_an_idle_session_expires(acme: Cxgap, client: TestClient) -> None:
    log_in(client, "ana@example.com")
    _age(acme, idle=timedelta(hours=11))
    _works(client, "ana@example.com")  # 11 h idle: still inside the default 12 h
    _age(acme, idle=timedelta(hours=12, minutes=1))
    _refused(client)


def test_a_session_ends_at_its_absolute_expiry_however_active(
    acme: Cxgap, client: TestClient
) -> None:
    log_in(client, "ana@example.com")
    with acme.reading() as session:
        row = session.scalar(select(tables.UserSession))
        assert row is not None
        assert row.expires_at - row.created_at == timedelta(days=14)
    _age(acme, expires=timedelta(seconds=-1))
    _refused(client)


def test_the_cookie_token_is_stored_only_hashed(acme: Cxgap, client: TestClient) -> None:
    log_in(client, "ana@example.com")
    with acme.reading() as session:
        row = session.scalar(select(tables.UserSession))
        assert row is not None
    assert len(row.token_hash) == 64 and row.user_agent == "testclient"
    assert row.method == "password" and row.revoked_at is None
    # The signed cookie carries the session id and no user id.
    import base64
    import json

    payload = client.cookies[COOKIE].split(".")[0]
    data = json.loads(base64.b64decode(payload + "=" * (-len(payload) % 4)))
    assert "user_id" not in data
    assert hashlib.sha256(data["sid"].encode()).hexdigest() == row.token_hash
