"""The pages a CX team uses, in both languages, with roles and CSRF enforced."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from cxgap.services.campaigns import surveys_of
from cxgap.services.core import Cxgap
from cxgap.services.demo import create_demo_workspace
from cxgap.services.workspaces import get_workspace
from tests.factories import make_user
from tests.prepared import Prepared
from tests.web.conftest import csrf_of, log_in


def _demo(session: Session) -> None:
    create_demo_workspace(session, n_customers=120)
    ws = get_workspace(session, "demo")
    make_user(session, "admin@example.com", superuser=True)
    make_user(session, "viewer@example.com", workspace=ws, role="viewer")
    make_user(session, "analyst@example.com", workspace=ws, role="analyst")
    make_user(session, "outsider@example.com")


@pytest.fixture
def demo(cx: Cxgap, prepared: Prepared) -> Cxgap:
    prepared.into(cx, "pages", _demo)
    return cx


def test_pages_need_a_login(client: TestClient) -> None:
    response = client.get("/w/demo/results", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/w/demo/results"
    assert client.get("/w/demo/results.json").status_code == 401


def test_wrong_password_is_refused_without_saying_which_part(
    demo: Cxgap, client: TestClient
) -> None:
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login", data={"email": "admin@example.com", "password": "nope", "csrf_token": token}
    )
    assert response.status_code == 401
    assert "Wrong e-mail or password" in response.text


def test_login_without_csrf_token_is_refused(demo: Cxgap, client: TestClient) -> None:
    client.get("/login")
    response = client.post("/login", data={"email": "admin@example.com", "password": "x"})
    assert response.status_code == 403


def test_open_redirects_are_not_followed(demo: Cxgap, client: TestClient) -> None:
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={"email": "admin@example.com", "password": "correct horse battery",
              "csrf_token": token, "next": "//evil.example/"},
        follow_redirects=False,
    )  # fmt: skip
    assert response.headers["location"] == "/"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", ["Results", "Knowledge gap"]), ("fr", ["Résultats", "Écart de connaissance"])],
)
def test_results_page_in_both_languages(
    demo: Cxgap, client: TestClient, lang: str, expected: list[str]
) -> None:
    log_in(client, "viewer@example.com")
    response = client.get(f"/w/demo/results?lang={lang}")
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in response.text
    for text in expected:
        assert text in response.text, text
    assert "<svg" in response.text


def test_the_language_follows_the_browser_then_the_choice(demo: Cxgap, client: TestClient) -> None:
    assert '<html lang="fr">' in client.get("/login", headers={"accept-language": "fr-FR"}).text
    client.get("/login?lang=en")
    assert '<html lang="en">' in client.get("/login", headers={"accept-language": "fr-FR"}).text


def test_results_json_twin_matches_the_api(demo: Cxgap, client: TestClient) -> None:
    log_in(client, "viewer@example.com")
    page_json = client.get("/w/demo/results.json").json()
    assert page_json["workspace"] == "demo" and page_json["nps"]["n"] == 120


def test_roles_are_enforced(demo: Cxgap, client: TestClient) -> None:
    log_in(client, "viewer@example.com")
    assert client.get("/w/demo/export/customer_answers.csv").status_code == 403
    assert client.get("/w/demo/members").status_code == 403
    token = csrf_of(client.get("/w/demo/pillars").text)
    response = client.post(
        "/w/demo/pillars",
        data={"csrf_token": token, "pillar_key": "x", "name_en": "X", "name_fr": "X"},
    )
    assert response.status_code == 403


def test_outsiders_do_not_learn_the_workspace_exists(demo: Cxgap, client: TestClient) -> None:
    log_in(client, "outsider@example.com")
    assert client.get("/w/demo").status_code == 404
    assert client.get("/w/nothing-here").status_code == 404


def test_analyst_exports_csv(demo: Cxgap, client: TestClient) -> None:
    log_in(client, "analyst@example.com")
    response = client.get("/w/demo/export/customer_answers.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert len(response.text.strip().splitlines()) == 121


def test_admin_renames_and_retires_a_pillar(demo: Cxgap, client: TestClient) -> None:
    log_in(client, "admin@example.com")
    token = csrf_of(client.get("/w/demo/pillars").text)
    client.post(
        "/w/demo/pillars/service",
        data={"csrf_token": token, "action": "rename", "name_en": "After-sales care",
              "name_fr": "Service après-vente"},
    )  # fmt: skip
    client.post("/w/demo/pillars/advertising", data={"csrf_token": token, "action": "retire"})
    results = client.get("/w/demo/results.json").json()
    pillars = {p["key"]: p for p in results["pillars"]}
    assert pillars["service"]["name_en"] == "After-sales care"
    assert pillars["advertising"]["retired"] is True
    assert results["internal"]["totals"]["max"] == 45


def test_admin_invites_a_member(demo: Cxgap, client: TestClient) -> None:
    log_in(client, "admin@example.com")
    token = csrf_of(client.get("/w/demo/members").text)
    response = client.post(
        "/w/demo/members", data={"csrf_token": token, "email": "New@Example.com", "role": "analyst"}
    )
    assert response.status_code == 200 and "new@example.com" in response.text
    assert "/invite/" in response.text  # no SMTP in this test: the link to pass on


def test_every_page_renders_in_french_and_english(demo: Cxgap, client: TestClient) -> None:
    log_in(client, "admin@example.com")
    pages = ("results", "journeys", "collect", "import", "pillars", "members")
    for path in ("/", "/w/demo", *(f"/w/demo/{p}" for p in pages), "/account"):
        for lang in ("en", "fr"):
            response = client.get(f"{path}?lang={lang}")
            assert response.status_code == 200, (path, lang)
            assert "web." not in response.text.replace("web.json", ""), (path, lang)


def test_report_download_is_a_self_contained_file(demo: Cxgap, client: TestClient) -> None:
    log_in(client, "viewer@example.com")
    response = client.get("/w/demo/report.html?lang=fr")
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    assert "<svg" in response.text and 'src="http' not in response.text


def test_security_headers(demo: Cxgap, client: TestClient) -> None:
    response = client.get("/login")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"


def test_results_options_change_the_computation(demo: Cxgap, client: TestClient) -> None:
    log_in(client, "viewer@example.com")
    default = client.get("/w/demo/results.json").json()
    strict = client.get("/w/demo/results.json?confidence=0.99&min_group_size=100").json()
    assert (default["confidence"], strict["confidence"]) == (0.95, 0.99)
    low, high = default["nps"]["ci"]
    strict_low, strict_high = strict["nps"]["ci"]
    assert strict_low < low and strict_high > high  # a 99 % interval is wider
    assert all(g == {"suppressed": True} for g in strict["by_generation"].values())
    page = client.get("/w/demo/results?confidence=0.99&min_group_size=100&lang=en")
    assert 'value="0.99" selected' in page.text and 'value="100" selected' in page.text


def test_results_options_are_bounded(demo: Cxgap, client: TestClient) -> None:
    log_in(client, "viewer@example.com")
    response = client.get("/w/demo/results.json?min_group_size=3")
    assert response.status_code == 422
    assert response.json()["error"]["problems"][0]["field"] == "min_group_size"


def test_a_new_pillar_is_asked_to_customers_with_its_prompt(
    demo: Cxgap, client: TestClient
) -> None:
    log_in(client, "admin@example.com")
    token = csrf_of(client.get("/w/demo/pillars").text)
    response = client.post(
        "/w/demo/pillars",
        data={"csrf_token": token, "pillar_key": "sustainability", "name_en": "Sustainability",
              "name_fr": "Durabilité", "description_fr": "Nos engagements tiennent-ils ?",
              "prompt_fr": "Nos produits durent et se réparent."},
        follow_redirects=False,
    )  # fmt: skip
    assert response.status_code == 303
    with demo.reading() as session:
        survey = surveys_of(session, get_workspace(session, "demo"))[0][0]
    form = client.get(f"/s/{survey.token}?lang=fr").text
    assert "Nos produits durent et se réparent." in form  # the customer-facing prompt
    assert "Nos engagements tiennent-ils" not in form  # that one is for colleagues
    assert "Durabilité" not in form  # the pillar's internal name is not the question


def test_password_guessing_is_slowed_down(demo: Cxgap, client: TestClient) -> None:
    def attempt(password: str, lang: str = "en") -> int:
        token = csrf_of(client.get(f"/login?lang={lang}").text)
        data = {"email": "viewer@example.com", "password": password, "csrf_token": token}
        return client.post("/login", data=data, follow_redirects=False).status_code

    assert [attempt("wrong") for _ in range(5)] == [401] * 5
    token = csrf_of(client.get("/login?lang=fr").text)
    locked = client.post(
        "/login",
        data={
            "email": "viewer@example.com",
            "password": "correct horse battery",
            "csrf_token": token,
        },
    )
    assert locked.status_code == 429  # even the right password waits
    assert "Trop de tentatives" in locked.text


def test_a_successful_login_forgets_earlier_failures(demo: Cxgap, client: TestClient) -> None:
    for _ in range(3):
        token = csrf_of(client.get("/login").text)
        client.post(
            "/login", data={"email": "analyst@example.com", "password": "x", "csrf_token": token}
        )
    log_in(client, "analyst@example.com")
    with demo.reading() as session:
        from sqlalchemy import func, select

        from cxgap.db.tables import LoginFailure

        remaining = session.scalar(select(func.count(LoginFailure.id)))
    # This address's failures for the account are cleared; the address's and the account's
    # (3 each, login_throttle) stay.
    assert remaining == 6
