"""Compute which verbatims ask for the same thing as each idea (``docs/community.md``).

Two stages, each in transactions of bounded size so that a million verbatims never sit in
memory: first every distinct text without a stored vector is embedded, ``EMBED_BATCH`` texts a
transaction (a stopped job resumes where it was: the vectors made are kept); then the stored
vectors are read ``MATCH_BATCH`` at a time and compared with all of the board's ideas at once
(``community.evidence.match_matrix``), the matches and each idea's summary (verbatims, topics,
touchpoints) replacing the old ones in one transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import and_, delete, exists, func, insert, or_, select
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.elements import ColumnElement

from cxgap.community.evidence import MATCH_THRESHOLD, idea_text, match_matrix, packed, unpacked
from cxgap.db.table_base import utcnow
from cxgap.db.tables import (
    Feedback,
    Idea,
    IdeaEvidence,
    IdeaMatch,
    TextEnrichment,
    TextFinding,
    TextVector,
)
from cxgap.text.protocols import Embedder, Matrix

EMBED_BATCH = 256  # texts embedded per transaction
MATCH_BATCH = 5_000  # stored vectors compared per step (5,000 x 512 bytes)
TEXT_LIMIT = 2_000  # characters of a verbatim the model reads

IdeaText = tuple[int, str, str]  # id, title, description
Step = Callable[[str, int, int, Session], None]
"""(stage, done, total, session) after each batch: progress, in the batch's transaction."""


@dataclass(frozen=True)
class Refreshed:
    embedded: int  # texts embedded by this run
    ideas: int
    matches: int  # distinct texts matched, all ideas together


def refresh_evidence(
    sessions: sessionmaker[Session],
    workspace_id: int,
    embedder: Embedder,
    step: Step | None = None,
) -> Refreshed:
    """Embed what is missing, then match every idea of the workspace (merged ones excepted)."""
    embedded = embed_missing(sessions, workspace_id, embedder, step)
    ideas, found = match_ideas(sessions, workspace_id, embedder, step)
    return Refreshed(embedded, ideas, found)


def _missing(workspace_id: int, model: str) -> ColumnElement[bool]:
    stored = exists().where(
        TextVector.workspace_id == workspace_id,
        TextVector.text_hash == Feedback.text_hash,
        TextVector.model == model,
    )
    return and_(Feedback.workspace_id == workspace_id, Feedback.text != "", ~stored)


def embed_missing(
    sessions: sessionmaker[Session],
    workspace_id: int,
    embedder: Embedder,
    step: Step | None = None,
) -> int:
    """Store a vector for each distinct verbatim text that has none; how many were made."""
    with sessions() as session, session.begin():
        session.execute(
            delete(TextVector).where(
                TextVector.workspace_id == workspace_id, TextVector.model != embedder.name
            )
        )
        total = session.scalar(
            select(func.count(func.distinct(Feedback.text_hash))).where(
                _missing(workspace_id, embedder.name)
            )
        )
    done, last = 0, ""
    while True:
        with sessions() as session, session.begin():
            batch = session.execute(
                select(Feedback.text_hash, func.min(Feedback.text))
                .where(_missing(workspace_id, embedder.name), Feedback.text_hash > last)
                .group_by(Feedback.text_hash)
                .order_by(Feedback.text_hash)
                .limit(EMBED_BATCH)
            ).all()
            if not batch:
                return done
            vectors = embedder.embed([text[:TEXT_LIMIT] for _, text in batch])
            session.execute(
                insert(TextVector),
                [
                    {
                        "workspace_id": workspace_id,
                        "text_hash": text_hash,
                        "model": embedder.name,
                        "vector": blob,
                    }
                    for (text_hash, _), blob in zip(batch, packed(vectors), strict=True)
                ],
            )
            done, last = done + len(batch), batch[-1][0]
            if step is not None:
                step("embedding", done, max(total or 0, done), session)


def match_ideas(
    sessions: sessionmaker[Session],
    workspace_id: int,
    embedder: Embedder,
    step: Step | None = None,
) -> tuple[int, int]:
    """Replace the workspace's matches and evidence: (ideas, distinct texts matched)."""
    with sessions() as session, session.begin():
        ideas: list[IdeaText] = [
            (row.id, row.title, row.description)
            for row in session.execute(
                select(Idea.id, Idea.title, Idea.description)
                .where(Idea.workspace_id == workspace_id, Idea.merged_into_id.is_(None))
                .order_by(Idea.id)
            )
        ]
        session.execute(delete(IdeaMatch).where(IdeaMatch.workspace_id == workspace_id))
        session.execute(delete(IdeaEvidence).where(IdeaEvidence.workspace_id == workspace_id))
        found = 0
        if ideas:
            idea_vectors = embedder.embed([idea_text(title, text) for _, title, text in ideas])
            ids = [idea_id for idea_id, _, _ in ideas]
            found = _match_stored(session, workspace_id, embedder, ids, idea_vectors, step)
        _summarise(session, workspace_id, embedder.name, ideas)
    return len(ideas), found


def _match_stored(
    session: Session,
    workspace_id: int,
    embedder: Embedder,
    idea_ids: list[int],
    idea_vectors: Matrix,
    step: Step | None,
) -> int:
    total = session.scalar(
        select(func.count()).where(
            TextVector.workspace_id == workspace_id, TextVector.model == embedder.name
        )
    )
    enrichment = and_(
        TextEnrichment.workspace_id == TextVector.workspace_id,
        TextEnrichment.text_hash == TextVector.text_hash,
    )
    last, done, found = 0, 0, 0
    while True:
        rows = session.execute(
            select(TextVector.id, TextVector.text_hash, TextVector.vector, _praise())
            .outerjoin(TextEnrichment, enrichment)
            .where(
                TextVector.workspace_id == workspace_id,
                TextVector.model == embedder.name,
                TextVector.id > last,
            )
            .order_by(TextVector.id)
            .limit(MATCH_BATCH)
        ).all()
        if not rows:
            return found
        vectors = unpacked([row.vector for row in rows], embedder.dimension)
        praise = [bool(row.praise) for row in rows]
        matched = match_matrix(idea_vectors, vectors, praise=praise)
        if matched:
            session.execute(
                insert(IdeaMatch),
                [
                    {
                        "workspace_id": workspace_id,
                        "idea_id": idea_ids[i],
                        "text_hash": rows[v].text_hash,
                        "similarity": similarity,
                    }
                    for i, v, similarity in matched
                ],
            )
        found += len({v for _, v, _ in matched})
        last, done = rows[-1].id, done + len(rows)
        if step is not None:
            step("matching", done, max(total or 0, done), session)


def _praise() -> ColumnElement[bool]:
    """Whether an enriched text is praise: read as positive as a whole, and every clause
    about a topic positive (a mixed verbatim, "lovely staff but the refund took a month",
    still asks). A clause about no topic does not make praise ask: the model reads some
    closing words of praise as negative ("Exactement ce qu'on cherchait.", "Ça fait plaisir de
    tomber sur un service comme ça." at -0.7 and -0.8), which put praise of fast deliveries
    first among the demo's parcel-tracking verbatims. Texts not enriched yet are not."""
    asks = exists().where(
        TextFinding.enrichment_id == TextEnrichment.id,
        TextFinding.sentiment != "positive",
        TextFinding.topic_key.is_not(None),
    )
    positive = TextEnrichment.sentiment == "positive"
    return and_(TextEnrichment.id.is_not(None), positive, ~asks).label("praise")


def _summarise(session: Session, workspace_id: int, model: str, ideas: list[IdeaText]) -> None:
    records = and_(
        Feedback.workspace_id == IdeaMatch.workspace_id, Feedback.text_hash == IdeaMatch.text_hash
    )
    touchpoints: dict[int, dict[str, int]] = defaultdict(dict)
    for idea_id, touchpoint, count in session.execute(
        select(IdeaMatch.idea_id, Feedback.touchpoint, func.count(Feedback.id))
        .join(Feedback, records)
        .where(IdeaMatch.workspace_id == workspace_id)
        .group_by(IdeaMatch.idea_id, Feedback.touchpoint)
    ):
        touchpoints[idea_id][touchpoint or ""] = count
    topics: dict[int, dict[str, int]] = defaultdict(dict)
    for idea_id, topic, count in session.execute(
        select(IdeaMatch.idea_id, TextFinding.topic_key, func.count(func.distinct(Feedback.id)))
        .join(Feedback, records)
        .join(
            TextEnrichment,
            and_(
                TextEnrichment.workspace_id == IdeaMatch.workspace_id,
                TextEnrichment.text_hash == IdeaMatch.text_hash,
            ),
        )
        .join(TextFinding, TextFinding.enrichment_id == TextEnrichment.id)
        .where(
            IdeaMatch.workspace_id == workspace_id,
            TextFinding.topic_key.is_not(None),
            # The topics of what the verbatim complains about or asks, not of its praise:
            # "the staff were lovely but the refund took a month" asks about refunds.
            TextFinding.sentiment != "positive",
        )
        .group_by(IdeaMatch.idea_id, TextFinding.topic_key)
    ):
        topics[idea_id][str(topic)] = count
    now = utcnow()
    if ideas:
        session.execute(
            insert(IdeaEvidence),
            [
                {
                    "idea_id": idea_id,
                    "workspace_id": workspace_id,
                    "title": title,
                    "description": description,
                    "verbatims": sum(touchpoints[idea_id].values()),
                    "topics": topics[idea_id],
                    "touchpoints": {k: v for k, v in touchpoints[idea_id].items() if k},
                    "model": model,
                    "threshold": MATCH_THRESHOLD,
                    "computed_at": now,
                }
                for idea_id, title, description in ideas
            ],
        )


def stale_workspaces(session: Session) -> list[int]:
    """Workspaces whose evidence is out of date: an idea without it (new), edited since, or
    merged into another since (the board's ideas compete for each verbatim)."""
    evidence = and_(IdeaEvidence.idea_id == Idea.id)
    changed = or_(
        IdeaEvidence.idea_id.is_(None),
        IdeaEvidence.title != Idea.title,
        IdeaEvidence.description != Idea.description,
    )
    unmerged_stale = (
        select(Idea.workspace_id)
        .outerjoin(IdeaEvidence, evidence)
        .where(Idea.merged_into_id.is_(None), changed)
    )
    merged_kept = (
        select(Idea.workspace_id)
        .join(IdeaEvidence, evidence)
        .where(Idea.merged_into_id.is_not(None))
    )
    found = set(session.scalars(unmerged_stale.distinct())) | set(
        session.scalars(merged_kept.distinct())
    )
    return sorted(found)


def refresh_workspace(sessions: sessionmaker[Session], workspace_key: str) -> Refreshed:
    """Compute a workspace's evidence now, with the bundled model (``cxgap ideas evidence
    --refresh``; the worker's job does the same)."""
    from cxgap.services.workspaces import get_workspace
    from cxgap.text.embeddings import load_embedder

    with sessions() as session:
        workspace_id = get_workspace(session, workspace_key).id
    return refresh_evidence(sessions, workspace_id, load_embedder())
