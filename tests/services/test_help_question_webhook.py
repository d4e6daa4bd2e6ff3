"""``help.question_created``: sent once a customer's question is posted, in its transaction,
not when the form only suggested articles; ids, title and language, never an address."""

from __future__ import annotations

from sqlalchemy import select

from cxgap.db.tables import WebhookDelivery
from cxgap.services import help_articles, help_questions
from cxgap.services.community_people import person_by_email
from cxgap.services.core import Cxgap
from cxgap.services.help_articles import ArticleDraft
from cxgap.webhooks.store import add_webhook
from tests.factories import make_workspace


def test_a_posted_question_is_sent_once_a_suggestion_is_not(cx: Cxgap) -> None:
    with cx.transaction() as session:
        ws = make_workspace(session)
        add_webhook(session, workspace=ws, url="https://hooks.example.com/q",
                    events=["help.question_created"])  # fmt: skip
        draft = ArticleDraft("Returning a parcel", "Print the return label.", published=True)
        help_articles.save_article(session, workspace=ws, draft=draft)
        bob = person_by_email(session, workspace=ws, email="bob@example.com")
        title = "How do I return a parcel?"
        suggested = help_questions.ask(session, workspace=ws, person=bob, title=title)
        assert suggested.question is None and suggested.suggested  # nothing posted yet
        assert session.scalars(select(WebhookDelivery)).all() == []
        posted = help_questions.ask(
            session, workspace=ws, person=bob, title=title, language="fr", confirmed=True
        )
        assert posted.question is not None
        rows = session.scalars(select(WebhookDelivery)).all()
        question_id = posted.question.id
    assert [(r.event, r.payload["data"]) for r in rows] == [
        ("help.question_created", {"question": question_id, "title": title, "language": "fr"})
    ]
    assert "example.com" not in str(rows[0].payload)
