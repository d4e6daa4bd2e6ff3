"""Who owns what (issue 13, "no silos"): the teams owning each pillar and each journey
touchpoint key, and the worsening alerts already sent (once per subject and window)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from cxgap.db.table_base import Base, UTCDateTime, utcnow


class Ownership(Base):
    """One team owning one pillar or touchpoint key of a workspace (a subject may have
    several owning teams)."""

    __tablename__ = "ownerships"
    __table_args__ = (
        UniqueConstraint("workspace_id", "subject_kind", "subject_key", "team_id"),
        Index("ix_ownerships_team", "team_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    subject_kind: Mapped[str] = mapped_column(String(16))  # pillar | touchpoint
    subject_key: Mapped[str] = mapped_column(String(200))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class OwnershipAlert(Base):
    """A significant worsening announced to a subject's owners: the figures sent, and the
    window, so that the same worsening is announced once per window."""

    __tablename__ = "ownership_alerts"
    __table_args__ = (
        UniqueConstraint("workspace_id", "subject_kind", "subject_key", "window_end"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    subject_kind: Mapped[str] = mapped_column(String(16))
    subject_key: Mapped[str] = mapped_column(String(200))
    window_start: Mapped[datetime] = mapped_column(UTCDateTime())
    window_end: Mapped[datetime] = mapped_column(UTCDateTime())
    # The measures as sent (worsening.MeasureChange as JSON): no verbatim is stored here.
    figures: Mapped[list[dict[str, object]]] = mapped_column(JSON, default=list)
    recipients: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
