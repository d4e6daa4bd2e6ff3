"""Tables of action plans (issue 13): an action tied to what it should move, its sub-actions
(steps) and its comments.

The metric columns are a :class:`cxgap.impact.target.MetricTarget` spread out (metric plus
the pillar, topic, touchpoint and segment it is measured on), so the list can be filtered on
them and the impact analysis reads them back as one value.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cxgap.db.table_base import Base, UTCDateTime, utcnow


def _user_fk() -> Mapped[int | None]:
    return mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)


class ActionRow(Base):
    """An action of a workspace's plan."""

    __tablename__ = "actions"
    __table_args__ = (
        Index("ix_actions_ws_status", "workspace_id", "status"),
        Index("ix_actions_ws_owner", "workspace_id", "owner_id"),
        Index("ix_actions_ws_team", "workspace_id", "team_id"),
        Index("ix_actions_ws_subject", "workspace_id", "subject_kind", "subject_key"),
        Index("ix_actions_ws_due", "workspace_id", "due_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    # pillar | topic | touchpoint | driver | persona | segment (later idea, case_pattern):
    # a checked string, so that a new kind needs no migration.
    subject_kind: Mapped[str | None] = mapped_column(String(20), nullable=True)
    subject_key: Mapped[str | None] = mapped_column(String(200), nullable=True)
    owner_id: Mapped[int | None] = _user_fk()
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="SET NULL"), nullable=True
    )
    start_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    due_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    # not_started | in_progress | on_hold | done | cancelled
    status: Mapped[str] = mapped_column(String(16), default="not_started")
    progress: Mapped[int] = mapped_column(SmallInteger, default=0)
    metric: Mapped[str | None] = mapped_column(String(32), nullable=True)
    metric_pillar: Mapped[str | None] = mapped_column(String(200), nullable=True)
    metric_topic: Mapped[str | None] = mapped_column(String(200), nullable=True)
    metric_touchpoint: Mapped[str | None] = mapped_column(String(200), nullable=True)
    metric_segment: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = _user_fk()
    updated_by_id: Mapped[int | None] = _user_fk()
    # The reminders already sent: the stage (due_soon | overdue), for which due date (a new
    # due date starts again), and when the last one went (overdue repeats weekly).
    reminded_stage: Mapped[str | None] = mapped_column(String(16), nullable=True)
    reminded_due: Mapped[date | None] = mapped_column(Date, nullable=True)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class ActionStep(Base):
    """A sub-action: a title, an owner, a due date, done or not."""

    __tablename__ = "action_steps"
    __table_args__ = (Index("ix_action_steps_action", "action_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(300))
    owner_id: Mapped[int | None] = _user_fk()
    due_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ActionComment(Base):
    """A member's comment on an action (never edited)."""

    __tablename__ = "action_comments"
    __table_args__ = (Index("ix_action_comments_action_at", "action_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = _user_fk()
    body: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ActionSetting(Base):
    """A workspace's reminder setting: how many days before the due date owners are told."""

    __tablename__ = "action_settings"

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    remind_days_before: Mapped[int] = mapped_column(SmallInteger, default=3)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
