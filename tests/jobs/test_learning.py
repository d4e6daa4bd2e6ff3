"""Learning from corrections: the next job retrains the workspace model and re-enriches."""

from __future__ import annotations

from sqlalchemy import select

from cxgap.db.tables import Feedback, Job, TextEnrichment, TextFinding
from cxgap.jobs.runner import JobContext
from cxgap.jobs.worker import Worker, enqueue_enrichment
from cxgap.services import corrections
from cxgap.services.core import Cxgap
from cxgap.services.corrections import CorrectionInput
from cxgap.services.workspaces import get_workspace
from tests.factories import make_workspace
from tests.listening import NearestExampleTrainer, add_feedback, run_jobs

SARCASM = "Oh wonderful, my parcel took three weeks"
PARAPHRASE = "Oh wonderful, the parcel took three weeks"
OTHER = "Staff were lovely"


def _correct(cx: Cxgap, text: str, correction: CorrectionInput) -> None:
    with cx.transaction() as session:
        workspace = get_workspace(session, "acme")
        feedback = session.scalars(select(Feedback).where(Feedback.text == text)).first()
        assert feedback is not None
        corrections.record_correction(
            session, workspace=workspace, feedback_id=feedback.id, correction=correction
        )
        enqueue_enrichment(session, workspace)


def _finding(cx: Cxgap, text: str) -> list[tuple[str, str | None]]:
    with cx.reading() as session:
        feedback = session.scalars(select(Feedback).where(Feedback.text == text)).one()
        rows = session.execute(
            select(TextFinding.sentiment, TextFinding.topic_key)
            .join(TextEnrichment, TextEnrichment.id == TextFinding.enrichment_id)
            .where(TextEnrichment.text_hash == feedback.text_hash)
            .order_by(TextFinding.position, TextFinding.topic_key)
        )
        return [(r.sentiment, r.topic_key) for r in rows]


def test_corrections_retrain_and_change_the_labels(
    cx: Cxgap, context: JobContext, trainer: NearestExampleTrainer
) -> None:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        add_feedback(session, workspace, [SARCASM, OTHER])
        enqueue_enrichment(session, workspace)
    run_jobs(Worker(context))
    assert _finding(cx, SARCASM) == [("neutral", "delivery")]
    assert trainer.trainings == []  # nothing to learn yet

    _correct(cx, SARCASM, CorrectionInput(kind="sentiment", value="negative"))
    _correct(cx, SARCASM, CorrectionInput(kind="topic", value="price", applies=True))
    run_jobs(Worker(context))
    assert trainer.trainings == [2]
    assert _finding(cx, SARCASM) == [("negative", "delivery"), ("negative", "price")]
    assert _finding(cx, OTHER) == [("positive", "staff")]  # untouched by the examples

    with cx.reading() as session:
        workspace = get_workspace(session, "acme")
        versions = set(session.scalars(select(TextEnrichment.model)))
    assert len(versions) == 1 and "ws=2-" in versions.pop()  # every text re-enriched
    analyzer = context.analyzer_for(workspace)
    paraphrase = analyzer.analyze([PARAPHRASE])[0]
    assert paraphrase.sentiment == "negative" and set(paraphrase.topics) == {"delivery", "price"}

    # Nothing new: the next job neither retrains nor re-enriches.
    with cx.transaction() as session:
        job = enqueue_enrichment(session, get_workspace(session, "acme"))
    run_jobs(Worker(context))
    with cx.reading() as session:
        again = session.get(Job, job.id)
    assert again is not None and (again.status, again.total) == ("done", 0)
    assert trainer.trainings == [2]


def test_removing_a_topic_is_learnt_too(cx: Cxgap, context: JobContext) -> None:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        add_feedback(session, workspace, ["The staff entrance smells of paint"])
        enqueue_enrichment(session, workspace)
    run_jobs(Worker(context))
    assert _finding(cx, "The staff entrance smells of paint") == [("neutral", "staff")]
    _correct(
        cx,
        "The staff entrance smells of paint",
        CorrectionInput(kind="topic", value="staff", applies=False, start=0, end=18),
    )
    run_jobs(Worker(context))
    assert _finding(cx, "The staff entrance smells of paint") == [("neutral", None)]
