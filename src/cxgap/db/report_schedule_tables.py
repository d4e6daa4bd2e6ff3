"""The monthly schedule of a workspace's executive report (who receives it, in what
language and on what paper, and the last month sent)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from cxgap.db.table_base import Base, UTCDateTime, utcnow


class ReportSchedule(Base):
    """One per workspace: on, the executive report of the previous month is e-mailed as a PDF
    to ``recipient_ids`` (users, members of the workspace) early each month."""

    __tablename__ = "report_schedules"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), unique=True
    )
    enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    locale: Mapped[str] = mapped_column(String(5), default="en")
    paper: Mapped[str] = mapped_column(String(8), default="a4")
    recipient_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    last_period: Mapped[str | None] = mapped_column(String(32), nullable=True)  # e.g. 2026-11
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
