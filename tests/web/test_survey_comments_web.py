"""A comment typed into a public survey reaches Listening with its answer, and its enrichment
is queued; answers imported in the browser too."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from cxgap.db.tables import CustomerResponse, Feedback, Job
from cxgap.services import campaigns
from cxgap.services.core import Cxgap
from tests.factories import PILLAR_KEYS, make_user, make_workspace
from tests.warm_routes import app_for
from tests.web.conftest import csrf_of, log_in
from tests.web.test_public_forms import answer


@pytest.fixture
def token(cx: Cxgap) -> str:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        make_user(session, "ana@example.com", workspace=workspace, role="analyst")
        return campaigns.create_survey(session, workspace=workspace, key="pulse", name="P").token


@pytest.fixture
def client(cx: Cxgap) -> Iterator[TestClient]:
    with TestClient(app_for(cx), follow_redirects=False) as test_client:
        yield test_client


def stored(cx: Cxgap) -> tuple[list[Feedback], list[str]]:
    with cx.reading() as session:
        items = list(session.scalars(select(Feedback).order_by(Feedback.id)))
        jobs = list(session.scalars(select(Job.status)))
        return items, jobs


def test_a_public_comment_is_feedback_with_its_enrichment_queued(
    cx: Cxgap, client: TestClient, token: str
) -> None:
    sent = answer(client, f"/s/{token}", "fr", comment="Le livreur était en retard.", nps=4)
    assert sent.status_code == 303, sent.text
    (item,), jobs = stored(cx)
    with cx.reading() as session:
        response = session.scalars(select(CustomerResponse)).one()
    assert (item.source_type, item.source_id, item.channel) == (
        "survey",
        response.external_id,
        "pulse",
    )
    assert response.external_id.startswith("web-")
    assert (item.text, item.nps, item.collected_at) == (
        "Le livreur était en retard.",
        4,
        response.submitted_at,
    )
    assert item.question is not None and item.question.startswith("Souhaitez-vous nous dire")
    assert item.response_key == response.external_id
    assert jobs == ["queued"]
    # The same visit sending again updates its answer: still one record.
    assert answer(client, f"/s/{token}", "fr", comment="Livreur en retard.").status_code == 303
    (item,), _ = stored(cx)
    assert item.text == "Livreur en retard."
    # Another respondent (a new visit): another record, and the queued job takes it too.
    client.cookies.clear()
    assert answer(client, f"/s/{token}", "fr", comment="Encore").status_code == 303
    items, jobs = stored(cx)
    assert len(items) == 2 and jobs == ["queued"]


def test_an_answer_without_comment_queues_nothing(
    cx: Cxgap, client: TestClient, token: str
) -> None:
    assert answer(client, f"/s/{token}", comment="   ").status_code == 303
    assert stored(cx) == ([], [])


def test_answers_imported_in_the_browser_bring_their_comments(
    cx: Cxgap, client: TestClient, token: str
) -> None:
    log_in(client, "ana@example.com")
    header = ["response_id", "nps", "comment"] + [
        f"{key}_{aspect}" for key in PILLAR_KEYS for aspect in ("importance", "performance")
    ]
    rows = [["A-1", "9", "Great staff"], ["A-2", "3", ""]]
    body = "\n".join(",".join(r + ["4", "3"] * len(PILLAR_KEYS)) for r in rows)
    data = (",".join(header) + "\n" + body + "\n").encode()
    form = client.get("/w/acme/import")
    sent = client.post(
        "/w/acme/import",
        data={"csrf_token": csrf_of(form.text), "encoding": "auto"},
        files={"file": ("answers.csv", data, "text/csv")},
    )
    assert sent.status_code == 200, sent.text
    items, jobs = stored(cx)
    assert [(i.source_id, i.text, i.channel) for i in items] == [("A-1", "Great staff", "import")]
    assert jobs == ["queued"]
