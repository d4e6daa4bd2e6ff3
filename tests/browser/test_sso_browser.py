"""Single sign-on in a real browser: cxgap on uvicorn, a real OpenID Connect provider
(oidc-provider-mock) on loopback, Chromium clicking through both."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from tests.browser.conftest import LiveServer
from tests.factories import PASSWORD, make_user, make_workspace
from tests.sso.provider import PROVIDER_NAME, Provider, configure, running_provider

from cxgap.services import sso

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser


@pytest.fixture
def idp(live_server: LiveServer) -> Iterator[Provider]:
    with running_provider() as running:
        configure(live_server.cx, running.url)
        yield running


@pytest.mark.parametrize(
    ("locale", "button"), [("en-GB", "Sign in with"), ("fr-FR", "Se connecter avec")]
)
def test_sign_in_with_the_provider_lands_on_the_workspace_list(
    browser: Browser, live_server: LiveServer, idp: Provider, shots: Path, locale: str, button: str
) -> None:
    with live_server.cx.transaction() as session:
        make_workspace(session, "acme", "Acme Retail")
        sso.set_policy(session, local_passwords=False)
        sso.set_group_role(session, group="cx-team", workspace="acme", role="analyst")
    idp.set_user(
        "lea", email="lea@example.com", email_verified=True, name="Léa", groups=["cx-team"]
    )
    context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(f"{live_server.url}/login")
        assert page.locator('input[name="password"]').count() == 0  # passwords are off
        page.screenshot(path=str(shots / f"sso-login-{locale}.png"), full_page=True)
        page.get_by_role("link", name=f"{button} {PROVIDER_NAME}").click()
        page.wait_for_url(f"{idp.url}/oauth2/authorize*")
        page.locator('input[name="sub"]').fill("lea")
        page.get_by_role("button", name="Authorize").click()
        page.wait_for_url(f"{live_server.url}/")
        assert page.get_by_role("link", name="Acme Retail").is_visible()
    finally:
        context.close()
    assert errors == []


PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_sso_pages_fit_a_phone_and_a_desktop(
    browser: Browser, live_server: LiveServer, idp: Provider, shots: Path, lang: str
) -> None:
    with live_server.cx.transaction() as session:
        make_workspace(session, "acme", "Acme Retail")
        make_user(session, "root@example.com", superuser=True)
        sso.set_policy(session, new_user_workspace="acme", new_user_role="viewer")
        sso.set_group_role(session, group="cx-team", workspace="acme", role="analyst")
        sso.set_group_role(session, group="cx-leads", workspace="acme", role="admin")
    errors: list[str] = []
    for name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        context = browser.new_context(locale=f"{lang}-FR", viewport=viewport)
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        try:
            page.goto(f"{live_server.url}/login?lang={lang}")
            page.screenshot(path=str(shots / f"sso-login-{lang}-{name}.png"), full_page=True)
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
            page.locator("#email").fill("root@example.com")
            page.locator("#password").fill(PASSWORD)
            page.locator("form[action='/login'] button[type=submit]").click()
            page.wait_for_url(f"{live_server.url}/")
            page.goto(f"{live_server.url}/admin/sso?lang={lang}")
            assert page.locator("html").get_attribute("lang") == lang
            page.screenshot(path=str(shots / f"sso-settings-{lang}-{name}.png"), full_page=True)
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        finally:
            context.close()
        assert errors == []
