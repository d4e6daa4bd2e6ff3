"""Integrity of a workspace's survey answers: the flags of ``cxgap.integrity`` on its stored
responses, how much each headline figure moves without the flagged ones, score begging in
its other verbatims, and the analyst's choice to exclude flagged answers (audit-logged)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap.audit.actions import Action
from cxgap.audit.log import Actor, Target, record
from cxgap.db.tables import (
    CustomerPillarScore,
    CustomerResponse,
    Feedback,
    Pillar,
    TextEnrichment,
    Workspace,
)
from cxgap.integrity import IntegrityReport, Response, check_integrity
from cxgap.integrity.begging import begging
from cxgap.services.survey_feedback import SOURCE_TYPE
from cxgap.services.workspaces import pillars_of

_CHUNK = 500  # ids per IN (…): well under SQLite's parameter limit

_Figure = Callable[[list[int]], float | None]
# The most recent verbatims read for begging phrases (the page stays quick on big workspaces).
MAX_VERBATIMS = 20_000


@dataclass(frozen=True)
class FigureMove:
    """A headline figure with every answer and without the flagged ones."""

    key: str  # "nps" or a pillar key
    label_en: str
    label_fr: str
    with_flagged: float | None
    without_flagged: float | None
    n_with: int
    n_without: int

    @property
    def change(self) -> float | None:
        if self.with_flagged is None or self.without_flagged is None:
            return None
        return self.without_flagged - self.with_flagged


@dataclass(frozen=True)
class BeggingVerbatim:
    feedback_id: int
    channel: str | None
    phrase: str


@dataclass(frozen=True)
class WorkspaceIntegrity:
    report: IntegrityReport
    answers: dict[str, CustomerResponse]  # by external id, the report's response ids
    moves: tuple[FigureMove, ...]
    begging_verbatims: tuple[BeggingVerbatim, ...]

    @property
    def flagged_ids(self) -> set[str]:
        return {v.response_id for v in self.report.responses if v.flags}


def workspace_integrity(session: Session, *, workspace: Workspace) -> WorkspaceIntegrity:
    """Every stored survey answer checked; the comments' sentiment is the one cxgap's text
    analyzer stored when it enriched them (none yet: no score–text mismatch flag)."""
    stored = list(
        session.scalars(
            select(CustomerResponse)
            .where(CustomerResponse.workspace_id == workspace.id)
            .order_by(CustomerResponse.submitted_at, CustomerResponse.id)
        )
    )
    pillars = pillars_of(session, workspace)
    performance = _performance(session, workspace, pillars)
    responses = [_response(row, performance.get(row.id, {}), pillars) for row in stored]
    scores = _stored_sentiment(session, workspace, [r.external_id for r in stored if r.comment])
    by_text = {row.comment: scores.get(row.external_id) for row in stored if row.comment}

    def sentiment(texts: Sequence[str]) -> list[float | None]:
        return [by_text.get(text) for text in texts]

    report = check_integrity(responses, sentiment=sentiment)
    flagged = {v.response_id for v in report.responses if v.flags}
    moves = _moves(stored, performance, pillars, flagged)
    answers = {row.external_id: row for row in stored}
    return WorkspaceIntegrity(report, answers, moves, _begging_verbatims(session, workspace))


def record_choice(
    session: Session, *, workspace: Workspace, actor: Actor, exclude: bool, flagged: int
) -> None:
    """The analyst showed the figures with or without the flagged answers: logged."""
    record(
        session,
        actor=actor,
        action=Action.INTEGRITY_CHOICE,
        workspace=workspace,
        target=Target("integrity"),
        details={"exclude_flagged": exclude, "flagged": flagged},
    )


def _response(row: CustomerResponse, items: dict[int, int], pillars: list[Pillar]) -> Response:
    return Response(
        response_id=row.external_id,
        submitted_at=row.submitted_at,
        duration_seconds=row.duration_seconds,
        agent=row.agent,
        nps=row.nps,
        text=row.comment or "",
        items=tuple(items.get(p.id) for p in pillars),
        respondent=row.customer_ref,
    )


def _performance(
    session: Session, workspace: Workspace, pillars: list[Pillar]
) -> dict[int, dict[int, int]]:
    """Each response's performance score per pillar: the grid the straight-lining rule reads."""
    rows = session.execute(
        select(
            CustomerPillarScore.response_id,
            CustomerPillarScore.pillar_id,
            CustomerPillarScore.performance,
        )
        .join(CustomerResponse, CustomerResponse.id == CustomerPillarScore.response_id)
        .where(CustomerResponse.workspace_id == workspace.id)
        .where(CustomerPillarScore.pillar_id.in_([p.id for p in pillars]))
    )
    found: dict[int, dict[int, int]] = defaultdict(dict)
    for response_id, pillar_id, score in rows:
        if score is not None:
            found[response_id][pillar_id] = score
    return found


def _stored_sentiment(
    session: Session, workspace: Workspace, external_ids: Sequence[str]
) -> dict[str, float]:
    """The enrichment's sentiment of each answer's comment, by the answer's external id: only
    the comments of ``external_ids`` (the stored answers that have one), found by the feedback's
    unique ``(workspace_id, source_type, source_id)`` key, chunk by chunk. Not a join of every
    survey-sourced record to its enrichment: at 10 M items (6 M of them ``survey``, imported
    rather than answered here) that read every page of both tables for answers that had no
    comment, or that did not exist (docs/scale.md)."""
    found: dict[str, float] = {}
    ids = sorted(set(external_ids))
    for start in range(0, len(ids), _CHUNK):
        rows = session.execute(
            select(Feedback.source_id, TextEnrichment.sentiment_score)
            .join(
                TextEnrichment,
                (TextEnrichment.workspace_id == Feedback.workspace_id)
                & (TextEnrichment.text_hash == Feedback.text_hash),
            )
            .where(
                Feedback.workspace_id == workspace.id,
                Feedback.source_type == SOURCE_TYPE,
                Feedback.source_id.in_(ids[start : start + _CHUNK]),
            )
        )
        found.update((source_id, score) for source_id, score in rows if score is not None)
    return found


def _moves(
    stored: list[CustomerResponse],
    performance: dict[int, dict[int, int]],
    pillars: list[Pillar],
    flagged: set[str],
) -> tuple[FigureMove, ...]:
    kept = [row for row in stored if row.external_id not in flagged]
    moves = [
        _move("nps", "NPS", "NPS", [r.nps for r in stored], [r.nps for r in kept], _nps),
    ]
    for pillar in pillars:
        every = [performance.get(r.id, {}).get(pillar.id) for r in stored]
        some = [performance.get(r.id, {}).get(pillar.id) for r in kept]
        moves.append(_move(pillar.key, pillar.name_en, pillar.name_fr, every, some, _mean))
    return tuple(moves)


def _move(
    key: str,
    label_en: str,
    label_fr: str,
    every: list[int | None],
    some: list[int | None],
    figure: _Figure,
) -> FigureMove:
    all_known = [v for v in every if v is not None]
    kept_known = [v for v in some if v is not None]
    return FigureMove(
        key,
        label_en,
        label_fr,
        figure(all_known),
        figure(kept_known),
        len(all_known),
        len(kept_known),
    )


def _nps(values: list[int]) -> float | None:
    """Share of promoters (9–10) minus share of detractors (0–6), in points."""
    if not values:
        return None
    promoters = sum(v >= 9 for v in values)
    detractors = sum(v <= 6 for v in values)
    return 100 * (promoters - detractors) / len(values)


def _mean(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


def _begging_verbatims(session: Session, workspace: Workspace) -> tuple[BeggingVerbatim, ...]:
    """Verbatims of other sources (imports, reviews, tickets…) that report score begging."""
    rows = session.execute(
        select(Feedback.id, Feedback.channel, Feedback.text)
        .where(Feedback.workspace_id == workspace.id, Feedback.source_type != SOURCE_TYPE)
        .order_by(Feedback.collected_at.desc())
        .limit(MAX_VERBATIMS)
    )
    found = []
    for feedback_id, channel, text in rows:
        flag = begging(text or "")
        if flag is not None:
            found.append(BeggingVerbatim(feedback_id, channel, str(flag.params["phrase"])))
    return tuple(found)
