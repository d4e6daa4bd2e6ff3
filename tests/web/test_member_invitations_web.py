"""Inviting a member from the Members page, accepting on /invite, forced password change."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from cxgap.services import accounts
from cxgap.services.core import Cxgap
from tests.factories import PASSWORD, make_user, make_workspace
from tests.smtp_server import SmtpServer, smtp_server
from tests.web.conftest import csrf_of, log_in

__all__ = ["smtp_server"]
LINK = re.compile(r"https?://[^\s\"<]+/invite/[A-Za-z0-9_\-]+")


@pytest.fixture
def acme(sqlite_cx: Cxgap) -> Cxgap:
    with sqlite_cx.transaction() as session:
        workspace = make_workspace(session)
        make_user(session, "admin@example.com", workspace=workspace, role="admin")
    return sqlite_cx


def _invite(client: TestClient, email: str, language: str = "fr") -> str:
    token = csrf_of(client.get("/w/acme/members").text)
    response = client.post(
        "/w/acme/members",
        data={"csrf_token": token, "email": email, "role": "analyst", "language": language},
    )
    assert response.status_code == 200
    return response.text


def test_an_invitation_is_e_mailed_and_sets_the_password(
    acme: Cxgap, sqlite_client: TestClient, smtp_server: SmtpServer
) -> None:
    smtp_server.configure(acme)
    log_in(sqlite_client, "admin@example.com")
    page = _invite(sqlite_client, "Zoe@Example.com")
    assert "Invitation sent to zoe@example.com" in page and "/invite/" not in page
    assert "Invitation not accepted yet" in page
    [message] = smtp_server.wait_for(1)
    assert message["Subject"] == "Vous êtes invité·e à rejoindre Acme sur cxgap"
    body = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    link = LINK.search(body)
    assert link
    path = link.group(0).split("testserver", 1)[1]

    sqlite_client.post("/logout", data={"csrf_token": csrf_of(page)})
    form = sqlite_client.get(path)
    assert form.status_code == 200 and "zoe@example.com" in form.text
    mismatch = sqlite_client.post(
        path,
        data={"csrf_token": csrf_of(form.text), "password": "a long password", "confirm": "x"},
    )
    assert mismatch.status_code == 422 and "The two passwords differ" in mismatch.text
    done = sqlite_client.post(
        path,
        data={
            "csrf_token": csrf_of(form.text),
            "password": "a long password",
            "confirm": "a long password",
        },
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/w/acme"
    assert sqlite_client.get("/w/acme").status_code == 200  # signed in
    again = sqlite_client.get(path)
    assert again.status_code == 410 and "already used" in again.text


def test_without_smtp_the_admin_sees_the_link_once(acme: Cxgap, sqlite_client: TestClient) -> None:
    log_in(sqlite_client, "admin@example.com")
    page = _invite(sqlite_client, "leo@example.com")
    assert "E-mail is not configured on this server" in page
    assert LINK.search(page)
    assert "/invite/" not in sqlite_client.get("/w/acme/members").text  # shown only then
    with acme.reading() as session:
        user = accounts.get_user(session, email="leo@example.com")
    again = sqlite_client.post(
        f"/w/acme/members/{user.id}/invitation",
        data={"csrf_token": csrf_of(page)},
    )
    new_link = LINK.search(again.text)
    assert new_link and new_link.group(0) != LINK.search(page).group(0)  # type: ignore[union-attr]
    old = sqlite_client.get(LINK.search(page).group(0).split("testserver", 1)[1])  # type: ignore[union-attr]
    assert old.status_code == 410


def test_a_refused_address_still_gives_the_admin_the_link(
    acme: Cxgap, sqlite_client: TestClient, smtp_server: SmtpServer
) -> None:
    smtp_server.configure(acme)
    log_in(sqlite_client, "admin@example.com")
    page = _invite(sqlite_client, "refuse-me@example.com", language="en")
    assert "could not be sent" in page and "SMTP 550" in page and LINK.search(page)


def test_only_admins_invite(acme: Cxgap, sqlite_client: TestClient) -> None:
    with acme.transaction() as session:
        from cxgap.services.workspaces import get_workspace

        make_user(session, "ana@example.com", workspace=get_workspace(session, "acme"))
    log_in(sqlite_client, "ana@example.com")
    token = csrf_of(sqlite_client.get("/account").text)
    response = sqlite_client.post(
        "/w/acme/members", data={"csrf_token": token, "email": "x@example.com", "role": "admin"}
    )
    assert response.status_code == 403
    with acme.reading() as session, pytest.raises(Exception, match="No user"):
        accounts.get_user(session, email="x@example.com")


def test_a_password_chosen_for_someone_must_be_changed_at_sign_in(
    acme: Cxgap, sqlite_client: TestClient
) -> None:
    with acme.transaction() as session:
        accounts.create_user(
            session, email="tmp@example.com", password="given-by-admin", must_change_password=True
        )
    token = csrf_of(sqlite_client.get("/login").text)
    response = sqlite_client.post(
        "/login",
        data={"email": "tmp@example.com", "password": "given-by-admin", "csrf_token": token},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/login/password"
    assert sqlite_client.get("/account", follow_redirects=False).status_code == 303  # not in
    form = sqlite_client.get("/login/password?lang=fr")
    assert "Choisissez un nouveau mot de passe" in form.text
    done = sqlite_client.post(
        "/login/password",
        data={
            "csrf_token": csrf_of(form.text),
            "password": "mine at last",
            "confirm": "mine at last",
        },
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert sqlite_client.get("/account").status_code == 200
    with acme.reading() as session:
        assert accounts.authenticate(session, email="tmp@example.com", password="mine at last")
        assert not accounts.get_user(session, email="tmp@example.com").must_change_password


def test_an_admin_makes_an_old_temporary_password_expire(
    acme: Cxgap, sqlite_client: TestClient
) -> None:
    with acme.transaction() as session:
        from cxgap.services.workspaces import get_workspace

        make_user(session, "old@example.com", workspace=get_workspace(session, "acme"))
        old_id = accounts.get_user(session, email="old@example.com").id
    log_in(sqlite_client, "admin@example.com")
    page = sqlite_client.get("/w/acme/members").text
    assert f"/w/acme/members/{old_id}/password" in page
    done = sqlite_client.post(
        f"/w/acme/members/{old_id}/password", data={"csrf_token": csrf_of(page)}
    )
    assert "old@example.com will choose a new password at their next sign-in" in done.text
    sqlite_client.post("/logout", data={"csrf_token": csrf_of(done.text)})
    token = csrf_of(sqlite_client.get("/login").text)
    response = sqlite_client.post(
        "/login",
        data={"email": "old@example.com", "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/login/password"


def test_a_malformed_smtp_url_is_named_and_the_link_still_given(
    acme: Cxgap, sqlite_client: TestClient
) -> None:
    import dataclasses

    acme.settings = dataclasses.replace(
        acme.settings,
        smtp_url="smtp://u:hunter2@mail.example.com?tls=1",
        mail_from="cx@example.com",
    )
    log_in(sqlite_client, "admin@example.com")
    page = _invite(sqlite_client, "leo@example.com", language="en")
    assert "could not be sent" in page and "unknown option" in page and "hunter2" not in page
    assert LINK.search(page)
