"""Label corrections: what is stored, what is refused, the training examples and the stamp."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxgap.errors import NotFoundError, ValidationError
from cxgap.services import corrections, taxonomy
from cxgap.services.core import Cxgap
from cxgap.services.corrections import CorrectionInput
from tests.factories import make_workspace
from tests.listening import TOPICS, NearestExampleTrainer, add_feedback

TEXT = "Delivery was late but the staff were lovely"


@pytest.fixture(autouse=True)
def small_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(taxonomy, "default_taxonomy", lambda: TOPICS)


def test_a_clause_or_the_whole_text_becomes_the_example(cx: Cxgap) -> None:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        taxonomy.ensure_taxonomy(session, workspace)
        (feedback,) = add_feedback(session, workspace, [TEXT])
        clause = corrections.record_correction(
            session,
            workspace=workspace,
            feedback_id=feedback.id,
            correction=CorrectionInput(kind="topic", value="staff", start=22, end=43),
        )
        whole = corrections.record_correction(
            session,
            workspace=workspace,
            feedback_id=feedback.id,
            correction=CorrectionInput(kind="sentiment", value="negative"),
        )
        later = corrections.record_correction(
            session,
            workspace=workspace,
            feedback_id=feedback.id,
            correction=CorrectionInput(kind="sentiment", value="neutral"),
        )
        examples = corrections.training_examples(session, workspace)
        stamp = corrections.corrections_stamp(session, workspace)
    assert clause.text == "the staff were lovely" and clause.kind == "topic"
    assert whole.text == TEXT and whole.value == "negative"
    assert examples == [
        ("the staff were lovely", "topic", "staff", True),
        (TEXT, "sentiment", "neutral", True),
    ]
    assert stamp == f"3-{later.id}"


@pytest.mark.parametrize(
    ("correction", "field"),
    [
        (CorrectionInput(kind="emotion", value="joy"), "kind"),
        (CorrectionInput(kind="sentiment", value="furious"), "value"),
        (CorrectionInput(kind="sentiment", value="negative", applies=False), "applies"),
        (CorrectionInput(kind="topic", value="no_such_topic"), "value"),
        (CorrectionInput(kind="topic", value="staff", start=10, end=500), "start"),
        (CorrectionInput(kind="topic", value="staff", start=10), "end"),
    ],
)
def test_bad_corrections_are_refused(cx: Cxgap, correction: CorrectionInput, field: str) -> None:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        taxonomy.ensure_taxonomy(session, workspace)
        (feedback,) = add_feedback(session, workspace, [TEXT])
        with pytest.raises(ValidationError) as caught:
            corrections.record_correction(
                session, workspace=workspace, feedback_id=feedback.id, correction=correction
            )
        assert field in {p.field for p in caught.value.problems}
        assert corrections.list_corrections(session, workspace) == []


def test_feedback_of_another_workspace_is_not_found(cx: Cxgap) -> None:
    with cx.transaction() as session:
        mine = make_workspace(session)
        other = make_workspace(session, key="other", name="Other")
        (feedback,) = add_feedback(session, other, [TEXT])
        with pytest.raises(NotFoundError):
            corrections.record_correction(
                session,
                workspace=mine,
                feedback_id=feedback.id,
                correction=CorrectionInput(kind="sentiment", value="negative"),
            )


def test_retraining_happens_once_per_new_set_of_corrections(cx: Cxgap, tmp_path: Path) -> None:
    trainer = NearestExampleTrainer()
    model_dir = tmp_path / "models" / "acme"
    with cx.transaction() as session:
        workspace = make_workspace(session)
        assert not corrections.retrain_if_needed(
            session, workspace, model_dir=model_dir, trainer=trainer
        )
        (feedback,) = add_feedback(session, workspace, [TEXT])
        corrections.record_correction(
            session,
            workspace=workspace,
            feedback_id=feedback.id,
            correction=CorrectionInput(kind="sentiment", value="negative"),
        )
        assert corrections.retrain_if_needed(
            session, workspace, model_dir=model_dir, trainer=trainer
        )
        assert not corrections.retrain_if_needed(
            session, workspace, model_dir=model_dir, trainer=trainer
        )
    assert trainer.trainings == [1]
    assert corrections.trained_stamp(model_dir).startswith("1-")
