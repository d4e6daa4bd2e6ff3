"""The Listening link of the idea board (migration 0062, ``docs/community.md``): each distinct
verbatim's sentence vector, the verbatims that ask for the same thing as each idea, and each
idea's evidence summed up for its pages."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from cxgap.db.table_base import Base, UTCDateTime, utcnow


class TextVector(Base):
    """One distinct text's sentence embedding, made once (identical verbatims share it): its
    length-1 vector as signed bytes (``round(x * 127)``), 512 bytes for the default model."""

    __tablename__ = "text_vectors"
    __table_args__ = (UniqueConstraint("workspace_id", "text_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    text_hash: Mapped[str] = mapped_column(String(64))
    model: Mapped[str] = mapped_column(String(120))
    vector: Mapped[bytes] = mapped_column(LargeBinary)


class IdeaMatch(Base):
    """A distinct text that asks for the same thing as an idea (every verbatim with that text
    counts), with the cosine similarity that made it match."""

    __tablename__ = "idea_matches"
    __table_args__ = (
        Index("ix_idea_matches_idea", "idea_id", "similarity"),
        Index("ix_idea_matches_ws_hash", "workspace_id", "text_hash"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    text_hash: Mapped[str] = mapped_column(String(64))
    similarity: Mapped[float] = mapped_column(Float)


class IdeaEvidence(Base):
    """An idea's evidence as its pages show it: how many verbatims ask for it, by topic and by
    touchpoint, and the title and description it was computed from (an edited idea differs,
    so the scheduler computes it again)."""

    __tablename__ = "idea_evidence"
    __table_args__ = (Index("ix_idea_evidence_ws", "workspace_id"),)

    idea_id: Mapped[int] = mapped_column(
        ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True
    )
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text, default="")
    verbatims: Mapped[int] = mapped_column(Integer, default=0)
    topics: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    touchpoints: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    model: Mapped[str] = mapped_column(String(120), default="")
    threshold: Mapped[float] = mapped_column(Float)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
