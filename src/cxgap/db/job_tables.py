"""Tables of background work and outgoing webhooks."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, false, text
from sqlalchemy.orm import Mapped, mapped_column

from cxgap.db.table_base import Base, UTCDateTime, utcnow


class Job(Base):
    """One piece of background work (``cxgap.jobs``): an enrichment, an import, a report, a
    notification, a scheduled task… Its row is the source of truth: claimed atomically by one
    worker, its progress, heartbeat, result and error written on it, resumed after a crash.

    ``exclusive``: jobs sharing this key never run at the same time (e.g. one enrichment per
    workspace). ``dedupe``: at most one job ever has this key (a scheduled slot runs once
    however many workers see it due)."""

    __tablename__ = "jobs"
    __table_args__ = (
        Index("ix_jobs_ws_status", "workspace_id", "status"),
        Index("ix_jobs_status_kind", "status", "kind"),
        Index("ix_jobs_exclusive", "exclusive", "status"),
        Index("ix_jobs_dedupe", "dedupe", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), default="enrich", server_default="enrich")
    workspace_id: Mapped[int | None] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=True
    )
    status: Mapped[str] = mapped_column(String(16))  # queued|running|done|failed|cancelled
    queue: Mapped[str] = mapped_column(String(16), default="embedded")  # embedded | redis
    payload: Mapped[dict[str, object]] = mapped_column(
        JSON, default=dict, server_default=text("'{}'")
    )
    result: Mapped[dict[str, object] | None] = mapped_column(JSON, nullable=True)
    stage: Mapped[str] = mapped_column(String(64), default="", server_default="")
    total: Mapped[int] = mapped_column(Integer, default=0)  # units of work (texts, rows…)
    done: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    max_attempts: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    run_after: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    exclusive: Mapped[str | None] = mapped_column(String(160), nullable=True)
    dedupe: Mapped[str | None] = mapped_column(String(160), nullable=True)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL", name="fk_jobs_requested_by"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class Webhook(Base):
    """An address told about a workspace's events, with the secret its payloads are signed
    with (kept in clear: signing needs it; shown to the admin once)."""

    __tablename__ = "webhooks"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(String(2000))
    events: Mapped[list[str]] = mapped_column(JSON, default=list)
    secret: Mapped[str] = mapped_column(String(100))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class WebhookDelivery(Base):
    """One event sent (or being sent) to one webhook: the delivery log."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_id: Mapped[int] = mapped_column(
        ForeignKey("webhooks.id", ondelete="CASCADE"), index=True
    )
    event: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, object]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending|delivered|failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    response_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
