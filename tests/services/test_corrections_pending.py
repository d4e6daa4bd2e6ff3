"""A stored correction shows as pending on its verbatim until the feedback is re-enriched,
on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from cxgap.db.tables import TextEnrichment, utcnow
from cxgap.services.core import Cxgap
from cxgap.services.corrections import CorrectionInput, pending_labels, record_correction
from cxgap.services.listening import explore, parse_filters
from cxgap.services.workspaces import get_workspace
from tests.factories import make_workspace
from tests.listening_factories import CLAUSES, add_feedback, compose, enrich, make_topics

JOINED = compose(
    [
        next(c for c in CLAUSES if c[0].startswith("staff at the")),
        next(c for c in CLAUSES if c[0].startswith("The delivery took")),
    ],
    " but ",
)


def test_corrections_are_pending_until_the_feedback_is_re_enriched(cx: Cxgap) -> None:
    cx.upgrade()
    with cx.transaction() as session:
        workspace = make_workspace(session)
        make_topics(session, workspace)
        enrichment = enrich(session, workspace, JOINED)
        enrichment.enriched_at = utcnow() - timedelta(hours=1)
        feedback = add_feedback(session, workspace, JOINED.text, collected_at=utcnow())
        other = add_feedback(session, workspace, "Untouched text", collected_at=utcnow())
        start, end = JOINED.findings[0][:2]
        for value in ("neutral", "negative"):  # the newest sentiment of a clause counts
            record_correction(
                session,
                workspace=workspace,
                feedback_id=feedback.id,
                correction=CorrectionInput("sentiment", value, start=start, end=end),
            )
        record_correction(
            session,
            workspace=workspace,
            feedback_id=feedback.id,
            correction=CorrectionInput("topic", "billing", applies=False),
        )
        ids = (feedback.id, other.id, enrichment.id)
    feedback_id, other_id, enrichment_id = ids
    with cx.reading() as session:
        workspace = get_workspace(session, "acme")
        pending = pending_labels(
            session,
            workspace,
            [(feedback_id, JOINED.text, enrichment_id), (other_id, "Untouched text", None)],
        )
        assert list(pending) == [feedback_id]
        labels = [(p.kind, p.value, p.applies, p.whole) for p in pending[feedback_id]]
        assert labels == [("sentiment", "negative", True, False), ("topic", "billing", False, True)]
        assert pending[feedback_id][0].text == JOINED.text[start:end]
        page = explore(session, workspace, parse_filters({}))
        assert [p.value for p in page.pending[feedback_id]] == ["negative", "billing"]
    with cx.transaction() as session:
        # The background job re-enriched the text: nothing is pending any more.
        session.get(TextEnrichment, enrichment_id).enriched_at = utcnow() + timedelta(seconds=1)
    with cx.reading() as session:
        workspace = get_workspace(session, "acme")
        assert explore(session, workspace, parse_filters({})).pending == {}
