"""Tables of segments and their materialised membership."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from cxgap.db.table_base import Base, UTCDateTime, utcnow


class Segment(Base):
    """A customer segment / persona answer option, one definition shared by every screen."""

    __tablename__ = "segments"
    __table_args__ = (UniqueConstraint("workspace_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(200))
    name_fr: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    # Optional rule over customer attributes and survey answers that defines who belongs to
    # the segment, e.g. ``generation = "Gen X" and segment = "pro"``. Without a rule a customer
    # belongs when their answer or feedback names this segment's key. Personas point at a
    # segment, so every screen shares this one definition.
    rule: Mapped[str | None] = mapped_column(Text, nullable=True)


class SegmentMember(Base):
    """Feedback item ``feedback_id`` belongs to segment ``segment_id``: the segment's rule
    evaluated once when the item or the rule changed (``db.segment_members``), so that pages
    filter and count by an indexed key instead of the rule over every row."""

    __tablename__ = "segment_members"
    # Deleting an item (or its workspace) removes it from its segments.
    __table_args__ = (Index("ix_segment_members_feedback", "feedback_id"),)

    segment_id: Mapped[int] = mapped_column(
        ForeignKey("segments.id", ondelete="CASCADE"), primary_key=True
    )
    feedback_id: Mapped[int] = mapped_column(
        ForeignKey("feedback.id", ondelete="CASCADE"), primary_key=True
    )


class SegmentMembership(Base):
    """What the members of one segment were computed for: the rule's text (a changed rule
    means a rebuild) and the highest feedback id they cover (rows past it, written by a path
    that did not update the members, are caught up on the next read)."""

    __tablename__ = "segment_membership"

    segment_id: Mapped[int] = mapped_column(
        ForeignKey("segments.id", ondelete="CASCADE"), primary_key=True
    )
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    rule: Mapped[str] = mapped_column(Text)
    feedback_upto: Mapped[int] = mapped_column(BigInteger, default=0)
    # How many members it has: kept by triggers on segment_members (migration 0026), set by
    # ``rebuild``; what the Segments page shows instead of counting the members each time.
    member_count: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    built_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
