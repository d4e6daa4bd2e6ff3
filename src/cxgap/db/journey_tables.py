"""Tables of personas and journey maps, and the journey overlay's materialised index."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cxgap.db.table_base import Base, UTCDateTime, utcnow


class PersonaRow(Base):
    """A fictional customer inspired by real ones (journeys.model.Persona)."""

    __tablename__ = "personas"
    __table_args__ = (UniqueConstraint("workspace_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    quote: Mapped[str] = mapped_column(Text, default="")
    # Short lists of free text (needs, usages, behaviours in English, *_fr in French;
    # channel keys).
    needs: Mapped[list[str]] = mapped_column(JSON, default=list)
    usages: Mapped[list[str]] = mapped_column(JSON, default=list)
    behaviours: Mapped[list[str]] = mapped_column(JSON, default=list)
    needs_fr: Mapped[list[str]] = mapped_column(JSON, default=list)
    usages_fr: Mapped[list[str]] = mapped_column(JSON, default=list)
    behaviours_fr: Mapped[list[str]] = mapped_column(JSON, default=list)
    preferred_channels: Mapped[list[str]] = mapped_column(JSON, default=list)
    generation: Mapped[str | None] = mapped_column(String(64), nullable=True)
    segment_key: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # How replies address the persona's customers (vous | tu) and how long they like them
    # (short | standard | detailed): the tone of replies (docs/replies.md, migration 0035).
    address: Mapped[str] = mapped_column(String(8), default="vous", server_default="vous")
    reply_length: Mapped[str] = mapped_column(
        String(16), default="standard", server_default="standard"
    )


class JourneyRow(Base):
    """A customer journey map, current or target version (journeys.model.Journey)."""

    __tablename__ = "journeys"
    __table_args__ = (UniqueConstraint("workspace_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(200))
    name_fr: Mapped[str] = mapped_column(String(200))
    version: Mapped[str] = mapped_column(String(16))  # current | target
    based_on: Mapped[str | None] = mapped_column(String(64), nullable=True)
    persona_id: Mapped[int | None] = mapped_column(
        ForeignKey("personas.id", ondelete="SET NULL"), nullable=True
    )
    # Optimistic concurrency: every edit states the revision it started from.
    revision: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    stages: Mapped[list[JourneyStageRow]] = relationship(
        cascade="all, delete-orphan", order_by="JourneyStageRow.position"
    )


class JourneyStageRow(Base):
    __tablename__ = "journey_stages"
    __table_args__ = (UniqueConstraint("journey_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    journey_id: Mapped[int] = mapped_column(ForeignKey("journeys.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(200))
    name_fr: Mapped[str] = mapped_column(String(200))
    phase: Mapped[str] = mapped_column(String(16))  # before | during | after
    position: Mapped[int] = mapped_column(Integer)

    touchpoints: Mapped[list[JourneyTouchpointRow]] = relationship(
        cascade="all, delete-orphan", order_by="JourneyTouchpointRow.position"
    )


class JourneyTouchpointRow(Base):
    __tablename__ = "journey_touchpoints"
    __table_args__ = (UniqueConstraint("stage_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("journey_stages.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(200))
    name_fr: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(32))
    digital: Mapped[bool] = mapped_column(Boolean)
    interlocutor: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    goal: Mapped[str] = mapped_column(Text, default="")
    emotion: Mapped[int] = mapped_column(SmallInteger, default=0)  # -2 … +2
    moment_of_truth: Mapped[bool] = mapped_column(Boolean, default=False)
    declared_criticality: Mapped[str | None] = mapped_column(String(16), nullable=True)
    change: Mapped[str | None] = mapped_column(String(32), nullable=True)
    position: Mapped[int] = mapped_column(Integer)


class TouchpointFeedback(Base):
    """Materialised: the feedback items concerning each touchpoint key (named by the item, or
    through a finding's topic mapped to the touchpoint), with the measures the journey overlay
    sums. ``services.overlay`` rebuilds it when the workspace's feedback, enrichment or topics
    change. The overlay reads ``TouchpointTally``; this table feeds it, the irritants, and the
    rare persona whose segment has no materialised bit. One narrow index: a wide one made the
    rebuild maintain a B-tree in random order (six minutes at a million items)."""

    __tablename__ = "touchpoint_feedback"
    __table_args__ = (
        Index("ix_touchpoint_feedback_ws_tp", "workspace_id", "touchpoint_key"),
        # An item's rows, found again when it changes (incremental fold, cascaded deletes).
        Index("ix_touchpoint_feedback_feedback", "feedback_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    touchpoint_key: Mapped[str] = mapped_column(String(200))
    feedback_id: Mapped[int] = mapped_column(ForeignKey("feedback.id", ondelete="CASCADE"))
    # The item's text enrichment when it has one (where its negative findings are found).
    enrichment_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    sentiment_score: Mapped[float | None] = mapped_column(Float, nullable=True)
    intensity: Mapped[float | None] = mapped_column(Float, nullable=True)
    nps: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    csat: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    # Bit i set when the item belongs to the workspace's i-th segment (by id, at most 62):
    # segment membership materialised with the rest, so a persona's overlay reads one index.
    segment_mask: Mapped[int] = mapped_column(BigInteger, default=0)


class TouchpointIrritant(Base):
    """Materialised with ``TouchpointFeedback``: each negative finding's topic on a feedback
    item concerning a touchpoint key, most negative first in the index (for verbatims)."""

    __tablename__ = "touchpoint_irritants"
    __table_args__ = (
        Index(
            "ix_touchpoint_irritants_topic",
            "workspace_id",
            "touchpoint_key",
            "topic_key",
            "sentiment_score",
            "feedback_id",
        ),
        Index("ix_touchpoint_irritants_feedback", "feedback_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    touchpoint_key: Mapped[str] = mapped_column(String(200))
    topic_key: Mapped[str] = mapped_column(String(64))
    feedback_id: Mapped[int] = mapped_column(ForeignKey("feedback.id", ondelete="CASCADE"))
    sentiment_score: Mapped[float | None] = mapped_column(Float, nullable=True)
    segment_mask: Mapped[int] = mapped_column(BigInteger, default=0)


class TouchpointTally(Base):
    """Materialised with ``TouchpointFeedback``: its sums and counts per touchpoint key and
    combination of segment bits, so that an overlay reads a few rows per touchpoint whatever
    the number of feedback items."""

    __tablename__ = "touchpoint_tallies"
    __table_args__ = (
        Index("ix_touchpoint_tallies_ws_tp", "workspace_id", "touchpoint_key", "segment_mask"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    touchpoint_key: Mapped[str] = mapped_column(String(200))
    segment_mask: Mapped[int] = mapped_column(BigInteger, default=0)
    feedback_count: Mapped[int] = mapped_column(Integer, default=0)
    enriched_count: Mapped[int] = mapped_column(Integer, default=0)
    sentiment_sum: Mapped[float] = mapped_column(Float, default=0.0)
    intensity_sum: Mapped[float] = mapped_column(Float, default=0.0)
    strong_negative: Mapped[int] = mapped_column(Integer, default=0)
    strong_positive: Mapped[int] = mapped_column(Integer, default=0)
    promoters: Mapped[int] = mapped_column(Integer, default=0)
    detractors: Mapped[int] = mapped_column(Integer, default=0)
    nps_count: Mapped[int] = mapped_column(Integer, default=0)
    csat_sum: Mapped[float] = mapped_column(Float, default=0.0)
    csat_count: Mapped[int] = mapped_column(Integer, default=0)


class TouchpointIrritantCount(Base):
    """Materialised with ``TouchpointIrritant``: feedback items per touchpoint key, negative
    topic and combination of segment bits."""

    __tablename__ = "touchpoint_irritant_counts"
    __table_args__ = (
        Index(
            "ix_touchpoint_irritant_counts_ws_tp",
            *("workspace_id", "touchpoint_key", "segment_mask", "topic_key", "items"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    touchpoint_key: Mapped[str] = mapped_column(String(200))
    segment_mask: Mapped[int] = mapped_column(BigInteger, default=0)
    topic_key: Mapped[str] = mapped_column(String(64))
    items: Mapped[int] = mapped_column(Integer, default=0)


class OverlayIndexState(Base):
    """What the materialised overlay rows cover. ``fingerprint``: what every row depends on
    (topic-to-touchpoint links, segment rules, text-model version); when it changes they are
    rebuilt whole. The marks: up to which text enrichment and finding ids (of any workspace)
    the tables were looked at, the workspace's highest feedback id and latest
    ``updated_at`` folded in, and how many of its feedback items that was; what lies above
    the marks is folded in (``services.overlay``), a count that dropped means deletions."""

    __tablename__ = "overlay_index_state"

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    fingerprint: Mapped[str] = mapped_column(String(200))
    enrichments_seen: Mapped[int] = mapped_column(Integer, default=0)
    findings_seen: Mapped[int] = mapped_column(Integer, default=0)
    built_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    feedback_seen: Mapped[int] = mapped_column(Integer, default=0)
    feedback_folded: Mapped[int] = mapped_column(Integer, default=0)
    updated_seen: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # The workspace's data revision when last looked at: any write that may have deleted
    # feedback moves it, and then the count above is checked.
    revision_seen: Mapped[int] = mapped_column(Integer, default=0)
