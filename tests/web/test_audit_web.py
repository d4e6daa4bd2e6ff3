"""The audit log: every kind of event is recorded by the real route that causes it, only
administrators read it, and its export is a valid CSV (issue 10)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from cxgap.db import tables
from cxgap.services.core import Cxgap
from tests.factories import PASSWORD, make_user
from tests.prepared import Prepared
from tests.web.conftest import csrf_of, log_in
from tests.web.test_api_routes import Api, serve_api

ACME = "/api/v1/workspaces/acme"


@pytest.fixture
def api(sqlite_cx: Cxgap, prepared: Prepared) -> Iterator[Api]:
    """acme (admin adam, viewer vera, pending pia), other (admin olga), site admin root, a
    workspace token per role."""
    yield from serve_api(sqlite_cx, prepared)


def _events(cx: Cxgap, action: str) -> list[Any]:
    with cx.reading() as session:
        return list(
            session.scalars(
                select(tables.AuditEvent)
                .where(tables.AuditEvent.action == action)
                .order_by(tables.AuditEvent.id)
            )
        )


def _user_id(cx: Cxgap, email: str) -> int:
    with cx.reading() as session:
        found = session.scalar(select(tables.User.id).where(tables.User.email == email))
    assert found is not None
    return found


def _browser(api: Api, email: str) -> TestClient:
    browser = TestClient(api.client.app)
    log_in(browser, email)
    return browser


def _bearer(api: Api, who: str) -> dict[str, str]:
    return {"authorization": f"Bearer {api.tokens[who]}"}


def _all_stored_text(cx: Cxgap) -> str:
    with cx.reading() as session:
        rows = session.scalars(select(tables.AuditEvent)).all()
    return " ".join(
        f"{r.actor_ref} {r.target_id} {r.workspace_key} {r.address} {r.details}" for r in rows
    )


@pytest.fixture
def cx_client(cx: Cxgap) -> Iterator[tuple[Cxgap, TestClient]]:
    from tests.warm_routes import app_for

    with cx.transaction() as session:
        make_user(session, "ana@example.com")
    with TestClient(app_for(cx)) as client:
        yield cx, client


def test_sign_ins_failures_and_sign_outs_are_recorded(cx_client: tuple[Cxgap, TestClient]) -> None:
    """On SQLite and PostgreSQL, through the real login form."""
    cx, client = cx_client
    token = csrf_of(client.get("/login").text)
    for email, password in (("ana@example.com", "wrong password!"), ("nobody@example.com", "x")):
        refused = client.post(
            "/login", data={"email": email, "password": password, "csrf_token": token}
        )
        assert refused.status_code == 401
    log_in(client, "ana@example.com")
    client.post("/logout", data={"csrf_token": csrf_of(client.get("/account").text)})

    ana = _user_id(cx, "ana@example.com")
    known, unknown = _events(cx, "auth.sign_in_failed")
    assert known.actor_user_id == ana and known.details == {"method": "password"}
    assert known.address == "testclient"
    assert unknown.actor_user_id is None and unknown.actor_ref.startswith("email:")
    [signed_in] = _events(cx, "auth.sign_in")
    assert signed_in.actor_user_id == ana and signed_in.details == {"method": "password"}
    [signed_out] = _events(cx, "auth.sign_out")
    assert signed_out.actor_user_id == ana
    assert "@" not in _all_stored_text(cx)  # no e-mail in the trail, even a mistyped one


def test_an_api_tokens_first_use_is_a_sign_in_once(api: Api, sqlite_cx: Cxgap) -> None:
    for _ in range(2):
        assert api.client.get(ACME, headers=_bearer(api, "viewer")).status_code == 200
    [first_use] = [
        e for e in _events(sqlite_cx, "auth.sign_in") if e.details["method"] != "password"
    ]
    assert first_use.details == {"method": "api_token"} and first_use.target_type == "api_token"
    assert first_use.workspace_key == "acme"  # the workspace's admins see it


def test_member_additions_role_changes_and_removals_are_recorded(
    api: Api, sqlite_cx: Cxgap
) -> None:
    admin = _bearer(api, "admin")
    added = api.client.post(
        f"{ACME}/members", json={"email": "max@example.com", "role": "viewer"}, headers=admin
    )
    assert added.status_code == 201
    max_id = added.json()["id"]
    changed = api.client.put(f"{ACME}/members/{max_id}", json={"role": "analyst"}, headers=admin)
    assert changed.status_code == 200
    assert api.client.delete(f"{ACME}/members/{max_id}", headers=admin).status_code == 204
    # The Members page: giving olga (of another workspace) a role adds her here.
    browser = _browser(api, "adam@example.com")
    page = browser.get("/w/acme/members").text
    browser.post(
        "/w/acme/members",
        data={"csrf_token": csrf_of(page), "email": "olga@example.com", "role": "viewer"},
    )
    browser.post(
        "/w/acme/members",
        data={"csrf_token": csrf_of(page), "email": "olga@example.com", "role": "admin"},
    )

    olga = _user_id(sqlite_cx, "olga@example.com")
    adam = _user_id(sqlite_cx, "adam@example.com")
    by_api, by_page = _events(sqlite_cx, "member.added")
    assert (by_api.target_id, by_api.details) == (str(max_id), {"role": "viewer", "via": "api"})
    assert by_api.actor_user_id == adam and by_api.workspace_key == "acme"
    assert (by_page.target_id, by_page.details) == (str(olga), {"role": "viewer"})
    api_change, page_change = _events(sqlite_cx, "member.role_changed")
    assert api_change.details == {"from": "viewer", "to": "analyst", "via": "api"}
    assert page_change.details == {"from": "viewer", "to": "admin"}
    [removed] = _events(sqlite_cx, "member.removed")
    assert removed.target_id == str(max_id) and removed.workspace_key == "acme"


def test_password_changes_and_ended_sessions_are_recorded(api: Api, sqlite_cx: Cxgap) -> None:
    vera = _browser(api, "vera@example.com")
    vera.post(
        "/account/password",
        data={
            "csrf_token": csrf_of(vera.get("/account").text),
            "current_password": PASSWORD,
            "new_password": "another long password",
        },
    )
    admin = _browser(api, "adam@example.com")
    vera_id = _user_id(sqlite_cx, "vera@example.com")
    page = admin.get("/w/acme/members").text
    admin.post(f"/w/acme/members/{vera_id}/sessions/end", data={"csrf_token": csrf_of(page)})

    [changed] = _events(sqlite_cx, "account.password_changed")
    assert changed.actor_user_id == vera_id
    [ended] = _events(sqlite_cx, "session.revoked")
    assert ended.target_id == str(vera_id) and ended.workspace_key == "acme"
    assert ended.details == {"sessions_ended": 1, "by": "admin"}


def test_every_download_of_customer_data_is_recorded(api: Api, sqlite_cx: Cxgap) -> None:
    browser = _browser(api, "adam@example.com")
    downloads = [
        browser.get("/w/acme/listening/export.csv"),
        browser.get("/w/acme/export/customer_answers.csv"),
        browser.get("/w/acme/journeys/sample.svg"),
        browser.get(f"/w/acme/import/feedback/imports/{api.ids['import_id']}/problems.csv"),
        api.client.get(f"{ACME}/feedback/export?format=json", headers=_bearer(api, "analyst")),
        api.client.get(f"{ACME}/answers/export", headers=_bearer(api, "analyst")),
    ]
    assert [d.status_code for d in downloads] == [200] * len(downloads)
    exported = _events(sqlite_cx, "data.exported")
    assert [(e.target_id, e.details.get("format")) for e in exported] == [
        ("feedback", "csv"),
        ("customer_answers", "csv"),
        ("journey:sample", "svg"),
        (f"import:{api.ids['import_id']}:problems", "csv"),
        ("feedback", "json"),
        ("customer_answers", "csv"),
    ]
    assert {e.workspace_key for e in exported} == {"acme"}


def test_deletions_are_recorded(api: Api, sqlite_cx: Cxgap) -> None:
    analyst = _bearer(api, "analyst")
    for path in ("/personas/zoe", "/segments/students", "/topics/waiting", "/journeys/sample"):
        assert api.client.delete(ACME + path, headers=analyst).status_code in (200, 204), path
    browser = _browser(api, "adam@example.com")
    page = browser.get("/w/acme/integrations").text
    made = browser.post(
        "/w/acme/integrations/tokens",
        data={"csrf_token": csrf_of(page), "name": "ci", "role": "viewer"},
    )
    assert made.status_code == 200
    [created] = _events(sqlite_cx, "token.created")
    assert created.workspace_key == "acme" and created.details == {"role": "viewer"}
    with sqlite_cx.reading() as session:
        token_id = session.scalar(
            select(tables.ApiToken.id).where(tables.ApiToken.name == "viewer")
        )
    browser.post(
        f"/w/acme/integrations/tokens/{token_id}/revoke", data={"csrf_token": csrf_of(page)}
    )
    deleted = _events(sqlite_cx, "data.deleted")
    assert [(e.target_type, e.target_id) for e in deleted] == [
        ("persona", "zoe"),
        ("segment", "students"),
        ("topic", "waiting"),
        ("journey", "sample"),
        ("api_token", str(token_id)),
    ]


@pytest.mark.parametrize("email", ["vera@example.com", "ana@example.com"])
def test_viewers_and_analysts_cannot_read_the_log(api: Api, sqlite_cx: Cxgap, email: str) -> None:
    if email == "ana@example.com":
        with sqlite_cx.transaction() as session:
            from cxgap.services.workspaces import get_workspace

            make_user(session, email, workspace=get_workspace(session, "acme"), role="analyst")
    browser = _browser(api, email)
    page = browser.get("/audit")
    assert page.status_code == 403 and "for administrators" in page.text
    assert browser.get("/audit.csv").status_code == 403
    assert browser.get("/audit", params={"lang": "fr"}).text.count("réservé aux administrateurs")


def test_a_workspace_admin_reads_only_their_workspaces_events(api: Api, sqlite_cx: Cxgap) -> None:
    adam = _browser(api, "adam@example.com")  # signs in: an event of no workspace
    api.client.delete(f"{ACME}/personas/zoe", headers=_bearer(api, "analyst"))
    olga = _browser(api, "olga@example.com")
    assert "persona" not in olga.get("/audit").text
    assert olga.get("/audit", params={"workspace": "acme"}).status_code == 422
    table = adam.get("/audit").text.split("<tbody>")[1]
    # Password sign-ins belong to no workspace; the workspace token's first use does.
    assert "zoe" in table and "password" not in table and "api_token" in table
    root = _browser(api, "root@example.com")
    table = root.get("/audit").text.split("<tbody>")[1]
    assert "method: password" in table and "zoe" in table


def test_the_export_is_a_valid_csv_of_the_filtered_events(api: Api, sqlite_cx: Cxgap) -> None:
    root = _browser(api, "root@example.com")
    _browser(api, "adam@example.com")
    response = root.get("/audit.csv", params={"action": "auth.sign_in"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert list(rows[0]) == [
        "id", "at", "actor_user_id", "actor", "workspace", "action", "target_type",
        "target_id", "address", "details",
    ]  # fmt: skip
    assert [r["actor"] for r in rows] == ["root@example.com", "adam@example.com"]
    assert {r["action"] for r in rows} == {"auth.sign_in"}
    assert rows[0]["details"] == '{"method": "password"}'
    french = root.get("/audit.csv", params={"lang": "fr"}).content.decode("utf-8")
    assert french.splitlines()[0].count(";") == 9  # French Excel's delimiter
    [exported] = [e for e in _events(sqlite_cx, "data.exported") if e.target_id == "audit_log"][:1]
    assert exported.details["format"] == "csv"


def test_filters_pages_and_bad_dates(api: Api, sqlite_cx: Cxgap) -> None:
    root = _browser(api, "root@example.com")
    for _ in range(3):
        _browser(api, "vera@example.com")
    only_vera = root.get("/audit", params={"user": "vera@example.com"}).text
    assert "3 events" in only_vera and "root@example.com" not in only_vera.split("<tbody>")[1]
    with sqlite_cx.transaction() as session:  # enough events for a second page
        session.add_all(
            tables.AuditEvent(action="auth.sign_out", actor_ref="user:1", details={})
            for _ in range(60)
        )
    first = root.get("/audit").text
    assert "Page 1 of 2" in first and 'rel="next"' in first
    second = root.get("/audit", params={"page": 2}).text
    assert "Page 2 of 2" in second and 'rel="prev"' in second
    bad = root.get("/audit", params={"since": "31/12/2026", "lang": "fr"})
    assert bad.status_code == 422
    assert "« since »" in bad.text or "since" in bad.text
    assert "AAAA-MM-JJ" in bad.text and "31/12/2026" in bad.text


def test_the_api_pages_through_a_workspaces_events_for_its_admins(api: Api) -> None:
    analyst = _bearer(api, "analyst")
    for path in ("/personas/zoe", "/segments/students"):
        api.client.delete(ACME + path, headers=analyst)
    seen: list[dict[str, Any]] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 1, "action": "data.deleted"}
        if cursor:
            params["cursor"] = cursor
        page = api.client.get(f"{ACME}/audit", params=params, headers=_bearer(api, "admin"))
        assert page.status_code == 200, page.text
        seen += page.json()["items"]
        if not (cursor := page.json()["next"]):
            break
    assert [(e["target_type"], e["target_id"]) for e in seen] == [
        ("segment", "students"),
        ("persona", "zoe"),
    ]
    assert api.client.get(f"{ACME}/audit", headers=analyst).status_code == 403
    assert api.client.get(f"{ACME}/audit", headers=_bearer(api, "other")).status_code == 403
    bad = api.client.get(f"{ACME}/audit?since=soon", headers=_bearer(api, "admin"))
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "since"
