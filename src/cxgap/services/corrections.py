"""Learning from the analyst: label corrections become a workspace model.

Correcting a label in the browser stores a :class:`LabelCorrection` (the clause, or the whole
text, with the right sentiment or a topic that applies or not). The next enrichment job of the
workspace retrains the workspace model from every correction (the trainer is passed in; the
default is ``cxgap.text.analyzer.train_workspace_model``) into
``<data dir>/models/<workspace key>/``, then re-enriches: the analyzer built on that folder
has a new version, so every text is pending again and the corrected labels show.

A stamp file in the model folder names the corrections the model was trained on, so a job
retrains only when there is something new.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cxgap.db.tables import Feedback, LabelCorrection, TextEnrichment, Topic, Workspace
from cxgap.errors import FieldProblem, NotFoundError, ValidationError

KINDS = ("sentiment", "topic")
SENTIMENTS = ("positive", "neutral", "negative")
STAMP_FILE = "cxgap-corrections.json"

Example = tuple[str, str, str, bool]
"""(text, kind, value, applies): one training example."""

Trainer = Callable[[Iterable[Example], Path], None]
"""Trains the workspace model from examples into a folder (created if missing)."""


@dataclass(frozen=True)
class CorrectionInput:
    """A correction as submitted: which label, and optionally which clause (offsets)."""

    kind: str
    value: str
    applies: bool = True
    start: int | None = None
    end: int | None = None


def default_trainer(examples: Iterable[Example], out_dir: Path) -> None:
    """The bundled trainer (``cxgap.text.analyzer``), imported only when first needed."""
    from cxgap.text.analyzer import train_workspace_model

    train_workspace_model(examples, out_dir)


def models_dir(data_dir: Path) -> Path:
    return data_dir / "models"


def workspace_model_dir(data_dir: Path, workspace: Workspace) -> Path:
    """Where the workspace's own model lives (it may not exist yet)."""
    return models_dir(data_dir) / workspace.key


def record_correction(
    session: Session,
    *,
    workspace: Workspace,
    feedback_id: int,
    correction: CorrectionInput,
    user_id: int | None = None,
) -> LabelCorrection:
    """Store one correction of a feedback record's label; refused if a value is invalid."""
    feedback = session.get(Feedback, feedback_id)
    if feedback is None or feedback.workspace_id != workspace.id:
        raise NotFoundError(f"No feedback {feedback_id} in workspace {workspace.key!r}")
    clause = _clause(feedback.text, correction)
    _check_label(session, workspace, correction)
    language = session.scalar(
        select(TextEnrichment.language).where(
            TextEnrichment.workspace_id == workspace.id,
            TextEnrichment.text_hash == feedback.text_hash,
        )
    )
    row = LabelCorrection(
        workspace_id=workspace.id,
        text=clause,
        text_hash=hashlib.sha256(clause.encode()).hexdigest(),
        language=language or "",
        kind=correction.kind,
        value=correction.value,
        applies=correction.applies,
        user_id=user_id,
    )
    session.add(row)
    session.flush()
    return row


MAX_PENDING = 500  # newest corrections looked at for the pending markers of one page


@dataclass(frozen=True)
class PendingLabel:
    """A correction stored after the enrichment a verbatim shows: not applied yet."""

    kind: str
    value: str
    applies: bool
    text: str
    whole: bool  # the correction is of the whole verbatim, not of one clause


def pending_labels(
    session: Session, workspace: Workspace, verbatims: Sequence[tuple[int, str, int | None]]
) -> dict[int, list[PendingLabel]]:
    """Per feedback id, the corrections of its text (or of a clause of it) stored after its
    enrichment: the labels shown are the old ones until the background job re-enriches it.

    ``verbatims`` are ``(feedback id, text, enrichment id)``; the newest correction of a label
    wins, as in :func:`training_examples`."""
    enriched = [e for _, _, e in verbatims if e is not None]
    if not enriched:
        return {}
    times = dict(
        session.execute(
            select(TextEnrichment.id, TextEnrichment.enriched_at).where(
                TextEnrichment.id.in_(enriched)
            )
        ).all()
    )
    if not times:
        return {}
    recent = list(
        session.scalars(
            select(LabelCorrection)
            .where(
                LabelCorrection.workspace_id == workspace.id,
                LabelCorrection.created_at > min(times.values()),
            )
            .order_by(LabelCorrection.id.desc())
            .limit(MAX_PENDING)
        )
    )
    result: dict[int, list[PendingLabel]] = {}
    for feedback_id, text, enrichment_id in verbatims:
        since = times.get(enrichment_id) if enrichment_id is not None else None
        if since is None:
            continue
        latest: dict[tuple[str, str, str], PendingLabel] = {}
        for row in recent:  # newest first: the first of a label is the one that counts
            if row.created_at <= since or row.text not in text:
                continue
            label = (row.text, row.kind, row.value if row.kind == "topic" else "")
            whole = row.text == text.strip()
            latest.setdefault(
                label, PendingLabel(row.kind, row.value, row.applies, row.text, whole)
            )
        if latest:
            result[feedback_id] = list(reversed(latest.values()))
    return result


def list_corrections(session: Session, workspace: Workspace) -> list[LabelCorrection]:
    query = select(LabelCorrection).where(LabelCorrection.workspace_id == workspace.id)
    return list(session.scalars(query.order_by(LabelCorrection.id)))


def training_examples(session: Session, workspace: Workspace) -> list[Example]:
    """Every correction as (text, kind, value, applies). A later correction of the same text
    overrides an earlier one: of its sentiment, or of the same topic."""
    latest: dict[tuple[str, str, str], Example] = {}
    for row in list_corrections(session, workspace):
        label = row.value if row.kind == "topic" else ""
        latest.pop((row.text, row.kind, label), None)  # the newest goes last
        latest[(row.text, row.kind, label)] = (row.text, row.kind, row.value, row.applies)
    return list(latest.values())


def corrections_stamp(session: Session, workspace: Workspace) -> str:
    """Names the set of corrections: their count and the newest id ("" when none)."""
    count, newest = session.execute(
        select(func.count(), func.max(LabelCorrection.id)).where(
            LabelCorrection.workspace_id == workspace.id
        )
    ).one()
    return f"{count}-{newest}" if count else ""


def trained_stamp(model_dir: Path) -> str:
    """The stamp of the corrections the model in ``model_dir`` was trained on ("" if none)."""
    path = model_dir / STAMP_FILE
    if not path.is_file():
        return ""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    return str(data.get("stamp", "")) if isinstance(data, dict) else ""


def retrain_if_needed(
    session: Session, workspace: Workspace, *, model_dir: Path, trainer: Trainer
) -> bool:
    """Retrain the workspace model when corrections changed since it was trained."""
    stamp = corrections_stamp(session, workspace)
    if not stamp or stamp == trained_stamp(model_dir):
        return False
    examples = training_examples(session, workspace)
    trainer(examples, model_dir)
    model_dir.mkdir(parents=True, exist_ok=True)
    (model_dir / STAMP_FILE).write_text(
        json.dumps({"stamp": stamp, "examples": len(examples)}), encoding="utf-8"
    )
    return True


def _clause(text: str, correction: CorrectionInput) -> str:
    """The corrected piece of text: the clause between the offsets, or the whole text."""
    start, end = correction.start, correction.end
    if (start is None) != (end is None):
        field = "end" if end is None else "start"
        raise ValidationError.single(field, "is required when a clause is given", None)
    if start is not None and end is not None:
        if not 0 <= start < end <= len(text):
            raise ValidationError(
                [
                    FieldProblem(
                        "start",
                        f"the clause must lie within the text (0 to {len(text)})",
                        f"{start}-{end}",
                        code="range",
                        params={"low": 0, "high": len(text)},
                    )
                ],
                summary="Correction refused",
            )
        text = text[start:end]
    if not text.strip():
        raise ValidationError.single("text", "an empty text cannot be a training example")
    return text.strip()


def _check_label(session: Session, workspace: Workspace, correction: CorrectionInput) -> None:
    problems: list[FieldProblem] = []
    if correction.kind not in KINDS:
        problems.append(
            FieldProblem(
                "kind", f"must be one of {', '.join(KINDS)}", correction.kind, code="choice"
            )
        )
    elif correction.kind == "sentiment":
        if correction.value not in SENTIMENTS:
            message = f"must be one of {', '.join(SENTIMENTS)}"
            problems.append(FieldProblem("value", message, correction.value, code="choice"))
        if not correction.applies:
            message = "a sentiment correction names the right sentiment (applies must be true)"
            problems.append(FieldProblem("applies", message, correction.applies))
    else:
        topics = set(session.scalars(select(Topic.key).where(Topic.workspace_id == workspace.id)))
        if correction.value not in topics:
            message = "is not a topic of this workspace"
            problems.append(FieldProblem("value", message, correction.value, code="choice"))
    if problems:
        raise ValidationError(problems, summary="Correction refused")
