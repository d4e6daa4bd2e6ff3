"""The in-app page that explains the figures, linked from the results and the report, and
the plural forms of the counts shown next to them."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from cxgap.analytics.priorities import MIN_ANSWERS_FOR_PRIORITIES as MINIMUM
from cxgap.services.core import Cxgap
from cxgap.web.render import translate_count
from tests.factories import make_user, make_workspace
from tests.warm_routes import app_for
from tests.web.conftest import log_in


@pytest.fixture
def client(cx: Cxgap) -> TestClient:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        make_user(session, "viewer@example.com", workspace=workspace, role="viewer")
        make_user(session, "stranger@example.com")
    return TestClient(app_for(cx), follow_redirects=False)


@pytest.mark.parametrize(
    ("lang", "title", "priorities"),
    [
        ("en", "How every figure is computed", f"Only from {MINIMUM} customer"),
        ("fr", "Comment chaque chiffre est calculé", f"partir de {MINIMUM} réponses"),
    ],
)
def test_the_results_link_to_the_method_page_in_the_readers_language(
    client: TestClient, lang: str, title: str, priorities: str
) -> None:
    log_in(client, "viewer@example.com")
    results = client.get(f"/w/acme/results?lang={lang}")
    assert 'href="/w/acme/results/method"' in results.text
    assert "docs/statistics.md" not in results.text
    method = client.get("/w/acme/results/method")
    assert method.status_code == 200
    assert f"<h1>{title}</h1>" in method.text and priorities in method.text
    report = client.get(f"/w/acme/report.html?lang={lang}")
    assert "docs/statistics.md" not in report.text
    assert f'href="http://testserver/w/acme/results/method?lang={lang}"' in report.text


def test_the_method_page_checks_the_workspace(client: TestClient) -> None:
    assert client.get("/w/acme/results/method").status_code in (302, 303, 401)
    log_in(client, "stranger@example.com")
    assert client.get("/w/acme/results/method").status_code in (403, 404)


@pytest.mark.parametrize(
    ("locale", "count", "expected"),
    [("en", 1, "1 item"), ("en", 2, "2 items"), ("fr", 1, "1 avis"), ("fr", 3, "3 avis")],
)
def test_irritant_mentions_are_counted_with_a_proper_plural(
    locale: str, count: int, expected: str
) -> None:
    assert translate_count(locale, "journeys.mentions", count, count=str(count)) == expected
