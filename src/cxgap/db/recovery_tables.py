"""The recovery survey sent to a customer when their case is resolved or closed (issue 12:
"the inner loop closed"): one question and a comment, answered through a secret link whose
SHA-256 only is stored."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cxgap.db.table_base import Base, UTCDateTime, utcnow


class CaseRecovery(Base):
    """One recovery survey of a case: asked, sent, answered (at most once) or expired."""

    __tablename__ = "case_recoveries"
    __table_args__ = (Index("ix_case_recoveries_case", "case_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    # SHA-256 of the link's token; the token itself is an HMAC of the id (never stored).
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(254))
    email_hash: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(5))
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Why the e-mail did not go: not_configured, opted_out, or the server's refusal.
    failure: Mapped[str] = mapped_column(String(200), default="")
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    score: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)  # CSAT 1-5
    comment: Mapped[str | None] = mapped_column(Text, nullable=True)
    feedback_id: Mapped[int | None] = mapped_column(
        ForeignKey("feedback.id", ondelete="SET NULL"), nullable=True
    )


class CaseRecoverySetting(Base):
    """A workspace's default for the recovery survey: ticked on the case page's status form
    or not (members still choose, case by case)."""

    __tablename__ = "case_recovery_settings"

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    send_on_close: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
