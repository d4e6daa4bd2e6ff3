"""The help centre over the REST API: articles (published, drafts on demand, searched,
by language, paged), one article with its text and helpful answers, questions (searched,
unanswered), one question with its answers and the accepted one first, and the team's answer
(analyst) that takes the question off the unanswered list."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from cxgap.services import help_questions
from cxgap.services.workspaces import get_workspace
from tests.web.test_api_routes import Api, SharedApi, shared_or_own

HELP = "/api/v1/workspaces/acme/help"


@pytest.fixture
def api(request: pytest.FixtureRequest, module_api: tuple[SharedApi, TestClient]) -> Iterator[Api]:
    yield from shared_or_own(request, module_api)  # the module's one app (test_api_routes)


def _get(api: Api, path: str, role: str = "viewer", **params: object) -> object:
    headers = {"authorization": f"Bearer {api.tokens[role]}"}
    response = api.client.get(f"{HELP}{path}", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def test_articles_are_listed_searched_and_read(api: Api) -> None:
    published = _get(api, "/articles")
    assert [a["title"] for a in published["items"]] == ["Refunds: how long they take"]
    first = published["items"][0]
    assert (first["category"], first["published"], first["language"]) == ("billing", True, "en")
    assert (first["helpful_yes"], first["helpful_no"], first["helpful_share"]) == (0, 0, None)
    everything = _get(api, "/articles", drafts="true")
    assert len(everything["items"]) == 2
    french = _get(api, "/articles", drafts="true", language="fr")["items"]
    assert [(a["title"], a["published"]) for a in french] == [("Remboursements en magasin", False)]
    paged = _get(api, "/articles", drafts="true", limit=1)
    assert len(paged["items"]) == 1 and paged["next"]
    rest = _get(api, "/articles", drafts="true", limit=1, cursor=paged["next"])
    assert rest["next"] is None and rest["items"] != paged["items"]

    found = _get(api, "/articles", q="refund")["items"]  # plural folded
    assert [a["id"] for a in found] == [first["id"]] and found[0]["score"] > 0
    assert _get(api, "/articles", q="remboursement")["items"] == []  # drafts are not searched
    detail = _get(api, f"/articles/{first['id']}")
    assert detail["body"] == "Within 14 days."
    assert (detail["category_en"], detail["category_fr"]) == ("Billing", "Facturation")
    draft = _get(api, f"/articles/{french[0]['id']}")  # the team reads its drafts
    assert draft["published"] is False and draft["category"] is None

    headers = {"authorization": f"Bearer {api.tokens['viewer']}"}
    bad = api.client.get(f"{HELP}/articles", params={"language": "de"}, headers=headers)
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "language"
    missing = api.client.get(f"{HELP}/articles/99999", headers=headers)
    assert missing.status_code == 404


def test_questions_their_answers_and_the_teams_answer(api: Api) -> None:
    (question,) = _get(api, "/questions")["items"]
    assert (question["title"], question["answers"], question["accepted_answer"]) == (
        "How do I return a sofa?", 1, None,
    )  # fmt: skip
    assert [q["id"] for q in _get(api, "/questions", q="sofas")["items"]] == [question["id"]]
    assert _get(api, "/questions", q="sofa", language="fr")["items"] == []
    assert len(_get(api, "/questions", unanswered="true")["items"]) == 1  # a customer's only

    url = f"{HELP}/questions/{question['id']}/answers"
    analyst = {"authorization": f"Bearer {api.tokens['analyst']}"}
    blank = api.client.post(url, json={"body": "   "}, headers=analyst)
    assert blank.status_code == 422 and blank.json()["error"]["field"] == "body"
    made = api.client.post(url, json={"body": "Bring it back to any store."}, headers=analyst)
    assert made.status_code == 201, made.text
    answers = made.json()["answers"]
    assert [(a["by"], a["author"], a["accepted"]) for a in answers] == [
        ("customer", "Dan", False), ("team", "", False),
    ]  # fmt: skip
    assert _get(api, "/questions", unanswered="true")["items"] == []  # the team answered

    assert api.cx is not None
    with api.cx.transaction() as session:  # the asker accepts the team's answer
        help_questions.accept(
            session, workspace=get_workspace(session, "acme"), question_id=question["id"],
            answer_id=answers[1]["id"], team=True,
        )  # fmt: skip
    detail = _get(api, f"/questions/{question['id']}")
    assert detail["accepted_answer"] == answers[1]["id"]
    assert [(a["by"], a["accepted"]) for a in detail["answers"]] == [
        ("team", True), ("customer", False),
    ]  # fmt: skip
    assert "example.com" not in str(detail)  # never a customer's address
