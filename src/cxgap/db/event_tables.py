"""Touchpoint events (issue 14): what customers did, one row per event, the file each came
from, and the analyst's mapping of activity names onto a journey's touchpoint keys."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from cxgap.db.table_base import Base, UTCDateTime, utcnow

# SQLite's rowid alias must be INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit identity.
EVENT_ID = BigInteger().with_variant(Integer(), "sqlite")


class EventImport(Base):
    """One imported event file: what it held and what was skipped (with reasons)."""

    __tablename__ = "event_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(255))
    preset: Mapped[str] = mapped_column(String(32), default="generic")
    status: Mapped[str] = mapped_column(String(16), default="running")  # running, done
    events: Mapped[int] = mapped_column(Integer, default=0)
    cases: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    report: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class EventRow(Base):
    """One event. ``position`` is its place in its file; ``id`` follows the file order of an
    import, so ``(case_ref, at, id)`` reads each case's path with ties in file order."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_case_order", "workspace_id", "case_ref", "at", "id"),)

    id: Mapped[int] = mapped_column(EVENT_ID, primary_key=True, autoincrement=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    import_id: Mapped[int | None] = mapped_column(
        ForeignKey("event_imports.id", ondelete="CASCADE"), nullable=True, index=True
    )
    case_ref: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    position: Mapped[int] = mapped_column(BigInteger, default=0)
    activity: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str | None] = mapped_column(String(100), nullable=True)
    outcome: Mapped[str | None] = mapped_column(String(100), nullable=True)
    lifecycle: Mapped[str | None] = mapped_column(String(40), nullable=True)
    touchpoint: Mapped[str | None] = mapped_column(String(200), nullable=True)
    amount: Mapped[float | None] = mapped_column(Float, nullable=True)
    attributes: Mapped[dict[str, str] | None] = mapped_column(JSON, nullable=True)


class ActivityMapping(Base):
    """The analyst's choice of touchpoint key for an activity name (None: not a touchpoint)."""

    __tablename__ = "event_activity_maps"
    __table_args__ = (UniqueConstraint("workspace_id", "activity"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    activity: Mapped[str] = mapped_column(String(200))
    touchpoint: Mapped[str | None] = mapped_column(String(200), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
