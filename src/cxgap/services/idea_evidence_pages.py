"""What the pages, the API and the command line read of the ideas' evidence
(``services/idea_evidence.py`` computes it): how many verbatims ask for an idea, by topic and
touchpoint, a few examples for the team (never for the public: verbatims are personal data),
and, the other way round, the ideas that would answer each irritant (topic)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cxgap.db import listening_queries as q
from cxgap.db.tables import Feedback, Idea, IdeaEvidence, IdeaMatch, Workspace
from cxgap.services.idea_statuses import idea_of

EXAMPLES = 3  # verbatims shown on the team's idea page
IDEAS_PER_TOPIC = 3  # ideas shown beside an irritant
EXAMPLE_LENGTH = 300  # characters of an example shown


@dataclass(frozen=True)
class Named:
    key: str
    name: str
    count: int


@dataclass(frozen=True)
class Example:
    feedback_id: int
    text: str
    source_type: str
    touchpoint: str | None  # its name in the reader's language
    similarity: float
    records: int = 1  # how many records say this text


@dataclass(frozen=True)
class Evidence:
    """One idea's evidence; ``computed_at`` None: not computed yet (the job will)."""

    verbatims: int
    topics: list[Named]
    touchpoints: list[Named]
    examples: list[Example]
    computed_at: datetime | None

    def as_json(self) -> dict[str, object]:
        return {
            "verbatims": self.verbatims,
            "topics": [{"key": t.key, "name": t.name, "verbatims": t.count} for t in self.topics],
            "touchpoints": [
                {"key": t.key, "name": t.name, "verbatims": t.count} for t in self.touchpoints
            ],
            "computed_at": None if self.computed_at is None else self.computed_at.isoformat(),
        }


@dataclass(frozen=True)
class Answering:
    """An idea that would answer an irritant: its matched verbatims in that topic."""

    idea_id: int
    title: str
    verbatims: int


def _names(session: Session, workspace: Workspace, locale: str) -> tuple[dict[str, str], ...]:
    topics = {
        t.key: t.name_fr if locale == "fr" else t.name_en
        for t in q.topic_rows(session, workspace.id)
    }
    touchpoints = {
        key: fr if locale == "fr" else en
        for key, (en, fr) in q.touchpoint_names(session, workspace.id).items()
    }
    return topics, touchpoints


def _ranked(counts: dict[str, int], names: dict[str, str]) -> list[Named]:
    rows = [Named(key, names.get(key, key), count) for key, count in counts.items() if count]
    return sorted(rows, key=lambda n: (-n.count, n.name))


def evidence_of(
    session: Session,
    workspace: Workspace,
    idea_id: int,
    locale: str,
    *,
    examples: int = 0,
    page: int = 1,
) -> Evidence:
    """The idea's evidence, with its ``examples`` most similar verbatims (team pages only;
    ``page`` of them)."""
    idea = idea_of(session, workspace, idea_id)
    row = session.get(IdeaEvidence, idea.id)
    if row is None:
        return Evidence(0, [], [], [], None)
    topics, touchpoints = _names(session, workspace, locale)
    return Evidence(
        verbatims=row.verbatims,
        topics=_ranked(row.topics, topics),
        touchpoints=_ranked(row.touchpoints, touchpoints),
        examples=(
            _examples(session, workspace, idea.id, examples, touchpoints, page) if examples else []
        ),
        computed_at=row.computed_at,
    )


def _examples(
    session: Session,
    workspace: Workspace,
    idea_id: int,
    limit: int,
    names: dict[str, str],
    page: int = 1,
) -> list[Example]:
    """The matched texts, most similar first (``page`` of ``limit``), each shown by its first
    record with how many records say it."""
    matched = session.execute(
        select(IdeaMatch.text_hash, IdeaMatch.similarity)
        .where(IdeaMatch.idea_id == idea_id, IdeaMatch.workspace_id == workspace.id)
        .order_by(IdeaMatch.similarity.desc(), IdeaMatch.text_hash)
        .limit(limit)
        .offset((page - 1) * limit)
    ).all()
    first = (
        select(
            Feedback.text_hash,
            func.min(Feedback.id).label("first"),
            func.count().label("records"),
        )
        .where(
            Feedback.workspace_id == workspace.id,
            Feedback.text_hash.in_([text_hash for text_hash, _ in matched]),
        )
        .group_by(Feedback.text_hash)
        .subquery()
    )
    rows = session.execute(
        select(
            first.c.text_hash,
            first.c.records,
            Feedback.id,
            Feedback.text,
            Feedback.source_type,
            Feedback.touchpoint,
        ).join(Feedback, Feedback.id == first.c.first)
    )
    by_hash = {row.text_hash: row for row in rows}
    found: list[Example] = []
    for text_hash, similarity in matched:
        row = by_hash.get(text_hash)
        if row is None:  # its records were deleted since the matching
            continue
        text = row.text
        short = text if len(text) <= EXAMPLE_LENGTH else text[: EXAMPLE_LENGTH - 1] + "…"
        named = None if row.touchpoint is None else names.get(row.touchpoint, row.touchpoint)
        found.append(Example(row.id, short, row.source_type, named, similarity, row.records))
    return found


def matched_texts(session: Session, workspace: Workspace, idea_id: int) -> int:
    """How many distinct texts ask for the idea (the evidence page's pages)."""
    query = select(func.count()).where(
        IdeaMatch.idea_id == idea_id, IdeaMatch.workspace_id == workspace.id
    )
    return session.scalar(query) or 0


def evidence_counts(session: Session, workspace: Workspace) -> dict[int, int]:
    """Each idea's count of verbatims asking for it (ideas not computed yet are absent)."""
    rows = session.execute(
        select(IdeaEvidence.idea_id, IdeaEvidence.verbatims).where(
            IdeaEvidence.workspace_id == workspace.id
        )
    )
    return {idea_id: verbatims for idea_id, verbatims in rows}


def ideas_by_topic(
    session: Session, workspace: Workspace, *, limit: int = IDEAS_PER_TOPIC
) -> dict[str, list[Answering]]:
    """Each topic's ideas that would answer it, most matched verbatims first (merged ideas
    left out: their original stands for them)."""
    rows = session.execute(
        select(Idea.id, Idea.title, IdeaEvidence.topics)
        .join(IdeaEvidence, IdeaEvidence.idea_id == Idea.id)
        .where(Idea.workspace_id == workspace.id, Idea.merged_into_id.is_(None))
    )
    by_topic: dict[str, list[Answering]] = {}
    for idea_id, title, topics in rows:
        for key, count in (topics or {}).items():
            if count:
                by_topic.setdefault(key, []).append(Answering(idea_id, title, count))
    return {
        key: sorted(ideas, key=lambda a: (-a.verbatims, a.idea_id))[:limit]
        for key, ideas in by_topic.items()
    }


def evidence_report(
    session: Session,
    workspace: Workspace,
    *,
    idea_id: int | None = None,
    examples: int = EXAMPLES,
    locale: str = "en",
) -> list[dict[str, Any]]:
    """The evidence of every idea not merged (or of ``idea_id``), for the command line: the
    counts, topics and touchpoints, and its ``examples`` best matches (``matches``)."""
    if idea_id is not None:
        chosen = [idea_of(session, workspace, idea_id)]
    else:
        chosen = list(
            session.scalars(
                select(Idea)
                .where(Idea.workspace_id == workspace.id, Idea.merged_into_id.is_(None))
                .order_by(Idea.id)
            )
        )
    report = []
    for idea in chosen:
        found = evidence_of(session, workspace, idea.id, locale, examples=examples)
        matches = [
            {
                "feedback_id": e.feedback_id,
                "similarity": e.similarity,
                "text": e.text,
                "records": e.records,
            }
            for e in found.examples
        ]
        report.append({"id": idea.id, "title": idea.title, **found.as_json(), "matches": matches})
    return report
