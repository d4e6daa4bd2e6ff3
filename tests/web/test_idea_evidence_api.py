"""``GET /api/v1/workspaces/{key}/ideas`` gains each idea's ``verbatims`` (null until the
evidence is first computed), on SQLite and PostgreSQL; its other keys do not move."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cxgap.services import idea_evidence, ideas
from cxgap.services.community_people import person_by_email
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from cxgap.text.embeddings import load_embedder
from tests.enrichment_factory import add_feedback
from tests.web.test_api_routes import Api, serve_api

IDEAS = "/api/v1/workspaces/acme/ideas"


@pytest.fixture
def api(cx: Cxgap) -> Iterator[Api]:
    yield from serve_api(cx)


def test_the_ideas_carry_their_count_of_verbatims(api: Api, cx: Cxgap) -> None:
    viewer = {"authorization": f"Bearer {api.tokens['viewer']}"}
    with cx.transaction() as session:
        acme = get_workspace(session, "acme")
        bea = person_by_email(session, workspace=acme, email="bea@example.com")
        refund = ideas.submit_idea(session, workspace=acme, person=bea,
                                   title="Refund to the original card within 48 hours",
                                   description="Refunds take too long.").id  # fmt: skip
        add_feedback(session, acme, "le remboursement a pris plus d'un mois")
        workspace_id = acme.id
    before = api.client.get(IDEAS, headers=viewer)
    assert before.status_code == 200
    assert {row["verbatims"] for row in before.json()} == {None}
    idea_evidence.refresh_evidence(cx.sessions, workspace_id, load_embedder())
    after = {row["id"]: row for row in api.client.get(IDEAS, headers=viewer).json()}
    assert after[refund]["verbatims"] == 1
    assert {"id", "title", "status", "votes", "followers", "merged_into"} <= set(after[refund])
    assert all(isinstance(row["verbatims"], int) for row in after.values())
