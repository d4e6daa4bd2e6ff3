"""Apps made by tests/warm_routes.py share routes and templates, and nothing else: each answers
from its own database, data folder and settings, and what one serves never reaches another."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from cxgap.config import Settings
from cxgap.services.core import Cxgap
from cxgap.web.app import create_app
from tests.factories import PASSWORD, make_user, make_workspace
from tests.warm_routes import app_for, warm_app
from tests.web.conftest import csrf_of, log_in

MakeCx = Callable[..., Cxgap]


@pytest.fixture
def make_cx(sqlite_template: Path, tmp_path: Path) -> Iterator[MakeCx]:
    """A migrated database in a data folder of its own, with the settings given."""
    made: list[Cxgap] = []

    def make(name: str, **settings: Any) -> Cxgap:
        folder = tmp_path / name
        folder.mkdir()
        shutil.copy(sqlite_template, folder / "cxgap.sqlite3")
        base = Settings(
            data_dir=folder,
            database_url=f"sqlite:///{folder / 'cxgap.sqlite3'}",
            secret_key=f"secret-of-{name}-for-tests-only",
        )
        made.append(Cxgap(replace(base, **settings)))
        return made[-1]

    yield make
    for cx in made:
        cx.dispose()


def _with_workspace(cx: Cxgap, key: str, name: str, email: str) -> Cxgap:
    with cx.transaction() as session:
        make_user(session, email, workspace=make_workspace(session, key=key, name=name))
    return cx


def test_a_warm_app_shares_the_lenders_routes_and_templates_and_keeps_its_own_context(
    make_cx: MakeCx,
) -> None:
    cx = make_cx("own")
    app = app_for(cx)
    lender = warm_app()
    assert app is not lender and app.state.cx is cx and lender.state.cx is not cx
    assert app.state.templates is lender.state.templates
    # The OpenAPI document's route is the app's own; every route create_app adds is shared.
    assert app.router.routes[0] is not lender.router.routes[0]
    assert app.router.routes[1:] == lender.router.routes[1:]
    assert all(a is b for a, b in zip(app.router.routes[1:], lender.router.routes[1:], strict=True))
    # A cold app builds its own.
    cold = create_app(cx=cx)
    assert not any(a is b for a, b in zip(cold.router.routes, lender.router.routes, strict=True))
    assert cold.state.templates is not lender.state.templates


def test_two_warm_apps_answer_from_their_own_databases(make_cx: MakeCx) -> None:
    acme = _with_workspace(make_cx("acme"), "acme", "Acme Corp", "ana@example.com")
    globex = _with_workspace(make_cx("globex"), "globex", "Globex Inc", "bob@example.com")
    with TestClient(app_for(acme)) as at_acme, TestClient(app_for(globex)) as at_globex:
        log_in(at_acme, "ana@example.com")
        log_in(at_globex, "bob@example.com")
        for _ in range(2):  # in turn, after each other's requests
            acme_home = at_acme.get("/").text
            globex_home = at_globex.get("/").text
            assert "Acme Corp" in acme_home and "Globex Inc" not in acme_home
            assert "Globex Inc" in globex_home and "Acme Corp" not in globex_home
        # Ana has no account in Globex's database.
        with TestClient(app_for(globex)) as stranger:
            token = csrf_of(stranger.get("/login").text)
            refused = stranger.post(
                "/login",
                data={"email": "ana@example.com", "password": PASSWORD, "csrf_token": token},
                follow_redirects=False,
            )
            assert refused.status_code == 401


def test_a_session_cookie_is_only_good_for_the_app_whose_key_signed_it(make_cx: MakeCx) -> None:
    cx = _with_workspace(make_cx("shared"), "acme", "Acme Corp", "ana@example.com")
    # The same database, another secret key.
    other = Cxgap(replace(cx.settings, secret_key="another-key-for-tests-only"))
    try:
        with TestClient(app_for(cx), follow_redirects=False) as signed_in:
            log_in(signed_in, "ana@example.com")
            cookie = signed_in.cookies["cxgap_session"]
            with TestClient(app_for(cx), follow_redirects=False) as same_key:
                same_key.cookies.set("cxgap_session", cookie)
                assert same_key.get("/").status_code == 200  # the replay does work…
            with TestClient(app_for(other), follow_redirects=False) as other_key:
                other_key.cookies.set("cxgap_session", cookie)
                response = other_key.get("/")  # …but not under another key
                assert response.status_code == 303
                assert response.headers["location"].startswith("/login")
    finally:
        other.dispose()


def test_each_warm_app_applies_its_own_settings(make_cx: MakeCx) -> None:
    plain = make_cx("plain")
    strict = make_cx(
        "strict",
        max_upload_bytes=1,
        secure_cookies=True,
        oidc_issuer="https://id.example.com",
        oidc_client_id="cxgap",
        oidc_name="Example ID",
    )
    with TestClient(app_for(plain)) as a, TestClient(app_for(strict)) as b:
        first_a, first_b = a.get("/login"), b.get("/login")  # each sets its session cookie
        assert "secure" not in first_a.headers["set-cookie"].lower()
        assert "secure" in first_b.headers["set-cookie"].lower()
        for _ in range(2):  # the shared login template, compiled once, asks each its own
            assert "Example ID" not in a.get("/login").text
            assert "Example ID" in b.get("/login").text
        body = b"x" * 100_000  # over strict's limit (1 byte + 64 KiB), not plain's
        assert b.post("/api/workspaces", content=body).status_code == 413
        assert a.post("/api/workspaces", content=body).status_code != 413


def test_a_warm_apps_background_jobs_are_its_own(make_cx: MakeCx) -> None:
    # The lifespan (the embedded worker) is the new app's: the lender has none.
    cx = make_cx("jobs")
    app = app_for(cx, background_jobs=True)
    assert app.router.lifespan_context is not warm_app().router.lifespan_context
