"""A workspace admin creates an API token and a webhook in a real browser, uses the token,
reads the delivery log, then revokes the token; the page reads in French and on a phone."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from tests.browser.conftest import LiveServer, logged_in_page
from tests.factories import make_user, make_workspace

from cxgap.webhooks.sender import RetryPolicy, deliver_due
from cxgap.webhooks.signing import SIGNATURE_HEADER, verify

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser
DATA = Path(__file__).resolve().parents[1] / "data" / "feedback"


@pytest.fixture
def hook_server() -> Iterator[tuple[str, list[tuple[str, bytes]]]]:
    received: list[tuple[str, bytes]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.headers[SIGNATURE_HEADER], body))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/cx", received
    server.shutdown()
    server.server_close()


@pytest.fixture
def admin_page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    with live_server.cx.transaction() as session:
        workspace = make_workspace(session)
        make_user(session, "adam@example.com", workspace=workspace, role="admin")
    with logged_in_page(browser, live_server, "adam@example.com") as page:
        yield page


def _api(url: str, token: str, *, data: bytes | None = None, kind: str = "") -> int:
    headers = {"Authorization": f"Bearer {token}"}
    if kind:
        headers["Content-Type"] = kind
    request = urllib.request.Request(url, data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def _multipart(name: str, content: bytes) -> tuple[bytes, str]:
    boundary = "cxgapboundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def test_tokens_and_webhooks_from_the_integrations_page(
    admin_page: Page, live_server: LiveServer, hook_server: tuple[str, list[tuple[str, bytes]]]
) -> None:
    page, (hook_url, received) = admin_page, hook_server
    page.goto(f"{live_server.url}/w/acme")
    page.get_by_role("link", name="Integrations").click()
    page.wait_for_url("**/w/acme/integrations")
    assert page.get_by_role("link", name="API reference").get_attribute("href") == "/api/docs"

    page.get_by_label("Token name").fill("Import robot")
    page.get_by_label("Role").select_option("analyst")
    page.get_by_role("button", name="Create the token").click()
    token = page.get_by_test_id("new-token").inner_text()
    assert token.startswith("cxg_")

    page.get_by_label("Address (URL)").fill(hook_url)
    page.get_by_label("Text analysis finished").uncheck()
    page.get_by_role("button", name="Add the webhook").click()
    secret = page.get_by_test_id("new-secret").inner_text()

    body, kind = _multipart("generic.csv", (DATA / "generic.csv").read_bytes())
    imports = f"{live_server.url}/api/v1/workspaces/acme/feedback/imports"
    assert _api(imports, token, data=body, kind=kind) == 200
    deliver_due(live_server.cx.sessions, policy=RetryPolicy(timeout=5))
    assert [json.loads(b)["event"] for _, b in received] == ["feedback.created", "import.finished"]
    signature, payload = received[0]
    assert verify(secret, signature, payload, now=int(time.time()))

    page.reload()
    log = page.locator("#deliveries tbody tr")
    assert log.count() == 2 and log.first.get_by_text("Delivered").is_visible()
    row = page.locator("#tokens tbody tr", has_text="Import robot")
    assert "UTC" in row.locator("td").nth(4).inner_text()  # last used, not "never"

    page.get_by_role("button", name="Revoke token Import robot").click()
    page.get_by_text("The token was revoked").wait_for()
    assert _api(f"{live_server.url}/api/v1/workspaces", token) == 401

    page.get_by_role("link", name="API reference").click()
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() >= 25
    assert page.get_by_text("import_feedback").first.is_visible()


def test_the_page_reads_in_french_on_a_phone(
    browser: Browser, admin_page: Page, live_server: LiveServer
) -> None:
    page = admin_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/w/acme/integrations?lang=fr")
    assert page.get_by_role("heading", name="Intégrations", level=1).is_visible()
    assert page.get_by_role("button", name="Créer le jeton").is_visible()
    assert page.get_by_text("Aucun webhook pour l'instant.").is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide on a 390 px screen"
