"""Results with or without flagged answers: the workspace's choice and the flagged set.

**One choice per workspace**, not per analyst: every reader of a workspace (viewers, the
executive report, API clients) must see the same NPS, or two people discussing "the figure"
talk about different numbers. An analyst or admin switches it; the switch is an
``integrity.choice`` audit event (who, when, how many flagged), and the workspace's choice
*is* its latest such event: no other record, so what the pages show and what the log says
can never disagree. No event: flagged answers are included (nothing is excluded silently).

The flagged set (``services.integrity``'s flags on every stored answer) costs a pass over the
answers, so it is kept in ``results_cache`` (params ``integrity-flags``) with the data
revision and the number of survey comments whose sentiment is stored (the score–text
mismatch reads it, and enrichment moves no revision), read from the Listening day counts
rather than by joining every comment to its enrichment (25 to 32 s at 10 M items on
PostgreSQL, on every page that asks for the set; docs/scale.md). When it is recomputed,
cached results computed without the flagged answers are dropped: they excluded the old set.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cxgap.audit.actions import Action
from cxgap.db import listening_cube
from cxgap.db.revisions import revision_of
from cxgap.db.tables import AuditEvent, Feedback, ResultsCache, Workspace
from cxgap.errors import ValidationError
from cxgap.services.integrity import FigureMove, workspace_integrity
from cxgap.services.survey_feedback import SOURCE_TYPE

Mode = Literal["include", "exclude"]
MODES: tuple[Mode, ...] = ("include", "exclude")
CACHE_PARAMS = "integrity-flags"
_CHUNK = 500  # ids per IN (…): well under SQLite's parameter limit
EXCLUDE_SUFFIX = ";flagged=exclude"  # the params of cached results without flagged answers


@dataclass(frozen=True)
class FlaggedSet:
    """The workspace's flagged answers: database ids, external ids (the survey feedback's
    source ids) and each headline figure with and without them."""

    response_ids: frozenset[int]
    external_ids: frozenset[str]
    moves: tuple[FigureMove, ...]
    total: int

    @property
    def count(self) -> int:
        return len(self.response_ids)


def parse_mode(value: str | None) -> Mode | None:
    """``include``, ``exclude`` or nothing (the workspace's choice); anything else refused."""
    if value is None or value == "":
        return None
    for mode in MODES:
        if value == mode:
            return mode
    raise ValidationError.single("flagged", "must be include or exclude", value)


def workspace_choice(session: Session, workspace: Workspace) -> Mode:
    """The latest ``integrity.choice`` of the workspace; include when there is none."""
    details = session.scalar(
        select(AuditEvent.details)
        .where(
            AuditEvent.workspace_id == workspace.id,
            AuditEvent.action == Action.INTEGRITY_CHOICE.value,
        )
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(1)
    )
    return "exclude" if details and details.get("exclude_flagged") is True else "include"


def resolve(session: Session, workspace: Workspace, asked: str | None) -> Mode:
    """The reading a request gets: what it asked for, else the workspace's choice."""
    return parse_mode(asked) or workspace_choice(session, workspace)


def flagged_set(session: Session, workspace: Workspace) -> FlaggedSet:
    """The flagged answers, from the cache while answers and stored sentiments are unchanged."""
    revision = revision_of(session, workspace.id)
    enriched = _enriched_comments(session, workspace)
    cached = session.get(ResultsCache, (workspace.id, CACHE_PARAMS))
    if cached is not None and cached.data_revision == revision:
        found = _from_payload(cached.payload, enriched)
        if found is not None:
            return found
    integrity = workspace_integrity(session, workspace=workspace)
    external = integrity.flagged_ids
    ids = frozenset(row.id for key, row in integrity.answers.items() if key in external)
    result = FlaggedSet(ids, frozenset(external), integrity.moves, len(integrity.answers))
    _store(session, workspace, cached, revision, _payload(result, enriched))
    return result


def excluded_ids(session: Session, workspace: Workspace, mode: Mode) -> frozenset[int]:
    """The answers a reading leaves out: none when flagged answers are included."""
    return flagged_set(session, workspace).response_ids if mode == "exclude" else frozenset()


def flagged_comments(session: Session, workspace: Workspace, found: FlaggedSet) -> int:
    """How many Listening verbatims are the flagged answers' comments."""
    ids, total = sorted(found.external_ids), 0
    for start in range(0, len(ids), _CHUNK):
        total += int(
            session.scalar(
                select(func.count())
                .select_from(Feedback)
                .where(
                    Feedback.workspace_id == workspace.id,
                    Feedback.source_type == SOURCE_TYPE,
                    Feedback.source_id.in_(ids[start : start + _CHUNK]),
                )
            )
            or 0
        )
    return total


def _enriched_comments(session: Session, workspace: Workspace) -> int:
    """How many survey comments have a stored sentiment (what the score–text mismatch reads):
    from the Listening day counts, kept with every change of a record or its enrichment."""
    session.flush()  # the counts of this transaction's own changes
    return listening_cube.count_with_sentiment(session, workspace.id, SOURCE_TYPE)


def _payload(found: FlaggedSet, enriched: int) -> dict[str, object]:
    return {
        "enriched": enriched,
        "ids": sorted(found.response_ids),
        "external": sorted(found.external_ids),
        "moves": [asdict(m) for m in found.moves],
        "total": found.total,
    }


def _from_payload(payload: dict[str, object], enriched: int) -> FlaggedSet | None:
    """The stored set, or None when it was made before sentiments were stored or is not in
    today's format."""
    try:
        if payload["enriched"] != enriched:
            return None
        ids, external = payload["ids"], payload["external"]
        moves, total = payload["moves"], payload["total"]
        assert isinstance(ids, list) and isinstance(external, list)
        assert isinstance(moves, list) and isinstance(total, int)
        return FlaggedSet(
            frozenset(int(i) for i in ids),
            frozenset(str(e) for e in external),
            tuple(FigureMove(**m) for m in moves),
            total,
        )
    except (KeyError, TypeError, AssertionError):
        return None


def _store(
    session: Session,
    workspace: Workspace,
    cached: ResultsCache | None,
    revision: int,
    payload: dict[str, object],
) -> None:
    """Keep the set and drop the results computed without the previous one."""
    session.execute(
        delete(ResultsCache).where(
            ResultsCache.workspace_id == workspace.id,
            ResultsCache.params.like(f"%{EXCLUDE_SUFFIX}"),
        )
    )
    if cached is not None:
        cached.data_revision, cached.payload = revision, payload
        return
    try:
        with session.begin_nested():
            session.add(
                ResultsCache(
                    workspace_id=workspace.id,
                    params=CACHE_PARAMS,
                    data_revision=revision,
                    payload=payload,
                )
            )
    except IntegrityError:
        pass  # a concurrent request stored it first
