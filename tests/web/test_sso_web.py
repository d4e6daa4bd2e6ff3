"""Single sign-on end to end over HTTP: cxgap (TestClient) and a real OpenID Connect provider
(oidc-provider-mock on loopback) — the whole code flow through its redirects."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx2
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from cxgap.db.tables import AuditEvent, Membership, User, UserSession
from cxgap.services import sso as sso_accounts
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from cxgap.web.app import create_app
from cxgap.web.sso_redaction import ACCESS_LOGGER, CallbackRedactor
from tests.factories import PASSWORD, make_user, make_workspace
from tests.sso.provider import PROVIDER_NAME, Provider, configure, running_provider
from tests.warm_routes import app_for
from tests.web.conftest import csrf_of

EMAIL = "lea@example.com"


@pytest.fixture
def idp() -> Iterator[Provider]:
    with running_provider() as running:
        yield running


@pytest.fixture
def web(cx: Cxgap, idp: Provider) -> Iterator[TestClient]:
    configure(cx, idp.url)
    with cx.transaction() as session:
        make_workspace(session, "acme", "Acme")
        make_user(session, "root@example.com", superuser=True)
    with TestClient(app_for(cx)) as client:
        yield client


def _with_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query.update(changes)
    return urlunsplit(parts._replace(query=urlencode(query)))


def authorize_url(client: TestClient, next_path: str = "/") -> str:
    start = client.get("/sso/start", params={"next": next_path}, follow_redirects=False)
    assert start.status_code == 303, start.text
    return start.headers["location"]


def provider_answer(authorize: str, sub: str) -> str:
    """The user picks ``sub`` on the provider's form: its redirect back to cxgap."""
    answer = httpx2.post(authorize, data={"sub": sub}, follow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    callback = answer.headers["location"]
    assert callback.startswith("http://testserver/sso/callback?")
    return callback


def sign_in(client: TestClient, sub: str, next_path: str = "/") -> httpx2.Response:
    return client.get(
        provider_answer(authorize_url(client, next_path), sub), follow_redirects=False
    )


def user_row(cx: Cxgap, email: str = EMAIL) -> tuple[User | None, dict[str, str]]:
    with cx.reading() as session:
        user = session.scalar(select(User).where(User.email == email))
        roles = {}
        if user is not None:
            for membership in session.scalars(
                select(Membership).where(Membership.user_id == user.id)
            ):
                roles[membership.workspace.key] = membership.role
        return user, roles


def set_policy(cx: Cxgap, **changes: object) -> None:
    with cx.transaction() as session:
        sso_accounts.set_policy(session, **changes)  # type: ignore[arg-type]


def signed_in(client: TestClient) -> bool:
    return client.get("/", follow_redirects=False).status_code == 200


def test_the_login_page_offers_the_provider(web: TestClient) -> None:
    html = web.get("/login").text
    assert f"Sign in with {PROVIDER_NAME}" in html
    assert 'name="password"' in html  # passwords still on by default


def test_first_sign_in_creates_the_user_in_the_chosen_role(
    web: TestClient, cx: Cxgap, idp: Provider
) -> None:
    set_policy(cx, new_user_workspace="acme", new_user_role="viewer")
    idp.set_user("sub-lea", email=EMAIL, email_verified=True, name="Léa Martin")
    response = sign_in(web, "sub-lea", next_path="/w/acme")
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/w/acme"
    assert signed_in(web)
    user, roles = user_row(cx)
    assert user is not None and user.name == "Léa Martin"
    assert (user.oidc_issuer, user.oidc_subject) == (idp.url, "sub-lea")
    assert roles == {"acme": "viewer"}
    assert "Acme" in web.get("/").text


def test_an_sso_sign_in_is_a_revocable_session_and_is_audited(
    web: TestClient, cx: Cxgap, idp: Provider
) -> None:
    set_policy(cx, new_user_workspace="acme", new_user_role="viewer")
    idp.set_user("sub-lea", email=EMAIL, email_verified=True)
    assert sign_in(web, "sub-lea").status_code == 303
    copied = dict(web.cookies)
    with cx.sessions() as session:
        user, _ = user_row(cx)
        assert user is not None
        methods = session.scalars(
            select(UserSession.method).where(UserSession.user_id == user.id)
        ).all()
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "auth.sign_in")
        ).all()
    assert methods == ["sso"]
    assert [(e.actor_user_id, e.details.get("method")) for e in events] == [(user.id, "sso")]
    token = csrf_of(web.get("/account").text)
    web.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    web.cookies.clear()
    for name, value in copied.items():
        web.cookies.set(name, value)
    assert not signed_in(web)  # the copied cookie died with the session


def test_without_a_default_role_the_account_waits_for_an_admin(
    web: TestClient, cx: Cxgap, idp: Provider
) -> None:
    idp.set_user("sub-lea", email=EMAIL, email_verified=True)
    response = sign_in(web, "sub-lea")
    assert response.status_code == 403
    assert "no access to any workspace yet" in response.text
    assert not signed_in(web)
    user, roles = user_row(cx)
    assert user is not None and roles == {}  # kept, so an administrator can add it


def test_group_mapping_gives_and_takes_roles_at_every_sign_in(
    web: TestClient, cx: Cxgap, idp: Provider
) -> None:
    with cx.transaction() as session:
        make_workspace(session, "beta", "Beta")
        # Another admin: the group rule never demotes a workspace's last admin.
        make_user(
            session, "boss@example.com", workspace=get_workspace(session, "acme"), role="admin"
        )
        sso_accounts.set_group_role(session, group="cx-team", workspace="acme", role="analyst")
        sso_accounts.set_group_role(session, group="cx-leads", workspace="acme", role="admin")
        sso_accounts.set_group_role(session, group="beta-readers", workspace="beta", role="viewer")
    claims = {"email": EMAIL, "email_verified": True}
    idp.set_user("sub-lea", **claims, groups=["cx-team", "cx-leads", "beta-readers"])
    assert sign_in(web, "sub-lea").status_code == 303
    assert user_row(cx)[1] == {"acme": "admin", "beta": "viewer"}  # the highest role wins

    idp.set_user("sub-lea", **claims, groups=["cx-team"])  # left two groups at the provider
    web.cookies.clear()
    assert sign_in(web, "sub-lea").status_code == 303
    assert user_row(cx)[1] == {"acme": "analyst"}  # downgraded, and out of beta


def test_an_existing_user_is_linked_by_verified_email(
    web: TestClient, cx: Cxgap, idp: Provider
) -> None:
    with cx.transaction() as session:
        make_user(session, EMAIL, workspace=get_workspace(session, "acme"), role="analyst")
    before, _ = user_row(cx)
    idp.set_user("sub-lea", email=EMAIL.upper(), email_verified=True)
    assert sign_in(web, "sub-lea").status_code == 303
    after, roles = user_row(cx)
    assert before is not None and after is not None and after.id == before.id
    assert after.oidc_subject == "sub-lea" and roles == {"acme": "analyst"}


def test_an_unverified_email_is_not_linked(web: TestClient, cx: Cxgap, idp: Provider) -> None:
    with cx.transaction() as session:
        make_user(session, EMAIL, workspace=get_workspace(session, "acme"), role="admin")
    # Anyone can create an account with someone else's address at some providers.
    idp.set_user("sub-mallory", email=EMAIL, email_verified=False)
    response = sign_in(web, "sub-mallory")
    assert response.status_code == 403
    assert "verified e-mail" in response.text
    assert not signed_in(web)
    user, _ = user_row(cx)
    assert user is not None and user.oidc_subject is None


def test_a_second_provider_account_cannot_take_a_linked_user(
    web: TestClient, cx: Cxgap, idp: Provider
) -> None:
    set_policy(cx, new_user_workspace="acme", new_user_role="viewer")
    idp.set_user("sub-lea", email=EMAIL, email_verified=True)
    assert sign_in(web, "sub-lea").status_code == 303
    web.cookies.clear()
    idp.set_user("sub-other", email=EMAIL, email_verified=True)
    response = sign_in(web, "sub-other")
    assert response.status_code == 409
    assert not signed_in(web)


def test_a_domain_not_allowed_is_refused(web: TestClient, cx: Cxgap, idp: Provider) -> None:
    configure(cx, idp.url, oidc_allowed_domains="example.org, corp.example.com")
    set_policy(cx, new_user_workspace="acme", new_user_role="viewer")
    idp.set_user("sub-lea", email=EMAIL, email_verified=True)
    response = sign_in(web, "sub-lea")
    assert response.status_code == 403
    assert "example.com domain may not sign in" in response.text
    assert user_row(cx)[0] is None


def test_a_tampered_state_is_refused(web: TestClient, cx: Cxgap, idp: Provider) -> None:
    set_policy(cx, new_user_workspace="acme", new_user_role="viewer")
    idp.set_user("sub-lea", email=EMAIL, email_verified=True)
    callback = provider_answer(authorize_url(web), "sub-lea")
    response = web.get(_with_query(callback, state="forged"), follow_redirects=False)
    assert response.status_code == 400
    assert "does not match a sign-in started in this browser" in response.text
    assert not signed_in(web)
    assert user_row(cx)[0] is None


def test_an_answer_from_another_browser_is_refused(
    web: TestClient, cx: Cxgap, idp: Provider
) -> None:
    """Login CSRF: an attacker's own valid answer, sent to the victim's browser."""
    set_policy(cx, new_user_workspace="acme", new_user_role="viewer")
    idp.set_user("sub-attacker", email="attacker@example.com", email_verified=True)
    callback = provider_answer(authorize_url(web), "sub-attacker")
    with TestClient(app_for(cx)) as victim:
        response = victim.get(callback, follow_redirects=False)
        assert response.status_code == 400
        assert not signed_in(victim)


def test_a_replayed_answer_is_refused(web: TestClient, cx: Cxgap, idp: Provider) -> None:
    set_policy(cx, new_user_workspace="acme", new_user_role="viewer")
    idp.set_user("sub-lea", email=EMAIL, email_verified=True)
    callback = provider_answer(authorize_url(web), "sub-lea")
    assert web.get(callback, follow_redirects=False).status_code == 303
    web.post("/logout", data={"csrf_token": csrf_of(web.get("/").text)})
    assert web.get(callback, follow_redirects=False).status_code == 400
    assert not signed_in(web)


def test_an_id_token_for_another_nonce_is_refused(
    web: TestClient, cx: Cxgap, idp: Provider
) -> None:
    """The provider is asked with another nonce than the one this browser keeps (a token
    obtained elsewhere and injected): the ID token's nonce gives it away."""
    set_policy(cx, new_user_workspace="acme", new_user_role="viewer")
    idp.set_user("sub-lea", email=EMAIL, email_verified=True)
    authorize = _with_query(authorize_url(web), nonce="someone-elses-nonce")
    response = web.get(provider_answer(authorize, "sub-lea"), follow_redirects=False)
    assert response.status_code == 401
    assert "does not belong to this sign-in (the nonce does not match)" in response.text
    assert not signed_in(web)
    assert user_row(cx)[0] is None


def test_a_code_issued_to_another_client_is_refused(
    web: TestClient, cx: Cxgap, idp: Provider
) -> None:
    set_policy(cx, new_user_workspace="acme", new_user_role="viewer")
    idp.set_user("sub-lea", email=EMAIL, email_verified=True)
    authorize = _with_query(authorize_url(web), client_id="another-app")
    response = web.get(provider_answer(authorize, "sub-lea"), follow_redirects=False)
    assert response.status_code == 401
    assert "refused the sign-in" in response.text
    assert not signed_in(web)


def test_the_provider_refusing_is_said_in_french(web: TestClient, idp: Provider) -> None:
    authorize = authorize_url(web)
    denied = httpx2.post(authorize, data={"action": "deny"}, follow_redirects=False, timeout=10)
    callback = denied.headers["location"]
    response = web.get(callback + "&lang=fr", follow_redirects=False)
    assert response.status_code == 401
    assert "Le fournisseur d’identité a refusé la connexion (access_denied)" in response.text


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_provider_that_is_down_gives_a_clear_error(web: TestClient, cx: Cxgap) -> None:
    configure(cx, f"http://127.0.0.1:{_closed_port()}")
    response = web.get("/sso/start", follow_redirects=False)
    assert response.status_code == 502
    assert "cannot be reached right now" in response.text


def test_local_passwords_off_leaves_only_the_provider(
    web: TestClient, cx: Cxgap, idp: Provider
) -> None:
    with cx.transaction() as session:
        make_user(session, EMAIL, workspace=get_workspace(session, "acme"), role="admin")
    set_policy(cx, local_passwords=False)
    html = web.get("/login").text
    assert f"Sign in with {PROVIDER_NAME}" in html and 'name="password"' not in html
    token = csrf_of(web.get("/login", params={"local": "1"}).text)  # the break-glass form
    response = web.post(
        "/login",
        data={"email": EMAIL, "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert "Password sign-in is turned off" in response.text
    assert not signed_in(web)
    # The break-glass way in: an instance administrator's password still works.
    response = web.post(
        "/login",
        data={"email": "root@example.com", "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    # And the provider signs the others in.
    idp.set_user("sub-lea", email=EMAIL, email_verified=True)
    web.cookies.clear()
    assert sign_in(web, "sub-lea").status_code == 303 and signed_in(web)


def _admin_client(web: TestClient) -> str:
    token = csrf_of(web.get("/login").text)
    web.post(
        "/login",
        data={"email": "root@example.com", "password": PASSWORD, "csrf_token": token},
    )
    return csrf_of(web.get("/admin/sso").text)


def test_an_instance_admin_edits_the_policy_and_mappings(web: TestClient, cx: Cxgap) -> None:
    token = _admin_client(web)
    saved = web.post(
        "/admin/sso/policy",
        data={"csrf_token": token, "new_user_workspace": "acme", "new_user_role": "viewer"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    web.post(
        "/admin/sso/mappings",
        data={"csrf_token": token, "group": "cx-team", "workspace": "acme", "role": "analyst"},
    )
    page = web.get("/admin/sso", params={"lang": "fr"}).text
    assert "Groupes et rôles" in page and "cx-team" in page
    with cx.reading() as session:
        policy = sso_accounts.get_policy(session)
        mappings = sso_accounts.list_group_roles(session)
    assert policy == sso_accounts.PolicyView(False, "acme", "viewer")  # box unticked: off
    assert mappings == [sso_accounts.GroupRole("cx-team", "acme", "analyst")]


def test_the_settings_page_is_for_instance_admins_only(web: TestClient, cx: Cxgap) -> None:
    with cx.transaction() as session:
        make_user(session, EMAIL, workspace=get_workspace(session, "acme"), role="admin")
    token = csrf_of(web.get("/login").text)
    web.post("/login", data={"email": EMAIL, "password": PASSWORD, "csrf_token": token})
    assert web.get("/admin/sso").status_code == 403
    response = web.post(
        "/admin/sso/policy", data={"csrf_token": csrf_of(web.get("/").text), "local_passwords": ""}
    )
    assert response.status_code == 403
    with cx.reading() as session:
        assert sso_accounts.get_policy(session).local_passwords


def test_the_access_log_never_shows_the_providers_code(sqlite_cx: Cxgap) -> None:
    create_app(cx=sqlite_cx)
    create_app(cx=sqlite_cx)
    logger = logging.getLogger(ACCESS_LOGGER)
    assert sum(isinstance(f, CallbackRedactor) for f in logger.filters) == 1
    # The shape of uvicorn's access record: client, method, path, HTTP version, status.
    record = logging.LogRecord(
        ACCESS_LOGGER,
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/sso/callback?code=SeCrEt-code&state=st4te", "1.1", 303),
        None,
    )
    assert all(f.filter(record) for f in logger.filters if isinstance(f, logging.Filter))
    line = record.getMessage()
    assert "SeCrEt" not in line and "st4te" not in line and "/sso/callback?***" in line


def test_a_link_cannot_write_its_own_text_on_the_login_page(web: TestClient) -> None:
    """The provider's error code is shown; a crafted one (phishing text) is not."""
    authorize_url(web)
    lure = "Your account is locked, call +33 1 23 45 67 89"
    response = web.get("/sso/callback", params={"error": lure}, follow_redirects=False)
    assert response.status_code == 401
    assert "+33" not in response.text and "refused the sign-in (error)" in response.text
