"""The community's webhooks (issue 15): a new idea, a new vote, a status change and a new
answer each queue a delivery, in the transaction that made them, to the webhooks that want
them — with ids and titles, never a customer's address."""

from __future__ import annotations

from sqlalchemy import select

from cxgap.db.tables import WebhookDelivery
from cxgap.services import help_questions, idea_statuses, ideas
from cxgap.services.community_people import person_by_email
from cxgap.services.core import Cxgap
from cxgap.webhooks.store import add_webhook
from tests.factories import make_workspace

EVENTS = ["idea.created", "idea.voted", "idea.status_changed", "help.answer_created"]


def test_each_community_event_reaches_the_webhooks_that_want_it(cx: Cxgap) -> None:
    with cx.transaction() as session:
        ws = make_workspace(session)
        add_webhook(session, workspace=ws, url="https://hooks.example.com/all", events=EVENTS)
        add_webhook(
            session, workspace=ws, url="https://hooks.example.com/votes", events=["idea.voted"]
        )
        ana = person_by_email(session, workspace=ws, email="ana@example.com")
        bob = person_by_email(session, workspace=ws, email="bob@example.com")
        idea = ideas.submit_idea(session, workspace=ws, person=ana, title="Deliver on Saturdays")
        ideas.vote(session, workspace=ws, idea_id=idea.id, person=bob)
        ideas.vote(session, workspace=ws, idea_id=idea.id, person=bob)  # again: no event
        idea_statuses.change_status(
            session, workspace=ws, idea_id=idea.id, status="planned", message="Next quarter"
        )
        asked = help_questions.ask(
            session, workspace=ws, person=bob, title="How do I return a parcel?", confirmed=True
        )
        assert asked.question is not None
        help_questions.answer(
            session, workspace=ws, question_id=asked.question.id, body="Use the form.", person=ana
        )
        rows = session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)).all()
        idea_id, question_id = idea.id, asked.question.id
    events = [(row.webhook_id, row.event) for row in rows]
    assert events == [
        (1, "idea.created"),
        (1, "idea.voted"),
        (2, "idea.voted"),
        (1, "idea.status_changed"),
        (1, "help.answer_created"),
    ]
    data = {row.event: row.payload["data"] for row in rows}
    assert data["idea.created"] == {
        "idea": idea_id,
        "title": "Deliver on Saturdays",
        "status": "open",
        "moderation": "approved",
        "language": "en",
    }
    assert data["idea.voted"]["votes"] == 2
    assert data["idea.status_changed"] == {
        "idea": idea_id,
        "title": "Deliver on Saturdays",
        "before": "open",
        "after": "planned",
        "message": "Next quarter",
    }
    assert data["help.answer_created"]["question"] == question_id
    assert data["help.answer_created"]["by"] == "customer"
    assert "example.com" not in str([row.payload for row in rows])
