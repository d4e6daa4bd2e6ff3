"""What an action was on a given day (issue 13, the action gap of a past period) and the
weekly team digests already sent (once per team and week).

``action_states`` keeps one row per change of an action's status, start date or due date:
the state it took, from ``at`` on. The action gap as of a day reads the last row at or
before it (``services.action_history``). Actions older than revision 0043 were given rows
rebuilt from the audit trail's status changes (see that migration).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from cxgap.db.table_base import Base, UTCDateTime, utcnow


class ActionState(Base):
    """An action's status and dates from ``at`` on (until its next row)."""

    __tablename__ = "action_states"
    __table_args__ = (Index("ix_action_states_action_at", "action_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    status: Mapped[str] = mapped_column(String(16))
    start_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    due_date: Mapped[date | None] = mapped_column(Date, nullable=True)


class OwnershipDigestSent(Base):
    """A team's weekly digest, sent for the week ending ``week_end``: written (and committed)
    before the letters go, unique per team and week, so a retried job or a second worker
    sends nothing again."""

    __tablename__ = "ownership_digests"
    __table_args__ = (UniqueConstraint("team_id", "week_end"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    week_end: Mapped[datetime] = mapped_column(UTCDateTime())
    recipients: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
