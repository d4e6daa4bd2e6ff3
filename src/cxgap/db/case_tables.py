"""Tables of cases (issue 12): teams, cases, their history, the feedback attached to them and
the rules that open them.

A case's pauses are never stored: the SLA engine derives them from its ``status`` events,
which are written once and never edited, so a policy change recomputes without losing them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from cxgap.db.table_base import Base, UTCDateTime, utcnow


class Team(Base):
    """A group of members cases can be assigned to."""

    __tablename__ = "teams"
    __table_args__ = (UniqueConstraint("workspace_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class TeamMember(Base):
    __tablename__ = "team_members"
    __table_args__ = (UniqueConstraint("team_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))


class CaseRule(Base):
    """A rule that opens a case from feedback that meets its conditions (tried in order)."""

    __tablename__ = "case_rules"
    __table_args__ = (Index("ix_case_rules_ws_position", "workspace_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    # cases.rules.RuleConditions.as_dict(): nps_max, csat_max, topic + sentiment, touchpoint
    conditions: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    priority: Mapped[str] = mapped_column(String(8), default="normal")
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CaseRow(Base):
    """One customer's case: from the first contact until the loop is closed."""

    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("workspace_id", "number"),
        Index("ix_cases_ws_status", "workspace_id", "status"),
        # An open case of the same customer takes a new match instead of a second case.
        Index("ix_cases_ws_customer", "workspace_id", "customer_ref"),
        # An imported ticket is found again by its id: a re-import updates, never duplicates.
        Index("ix_cases_ws_ticket_ref", "workspace_id", "ticket_ref", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    subject: Mapped[str] = mapped_column(String(300))
    customer_ref: Mapped[str | None] = mapped_column(String(200), nullable=True)
    account: Mapped[str | None] = mapped_column(String(200), nullable=True)
    priority: Mapped[str] = mapped_column(String(8), default="normal")
    status: Mapped[str] = mapped_column(String(20), default="new")
    channel: Mapped[str | None] = mapped_column(String(200), nullable=True)
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="SET NULL"), nullable=True
    )
    feedback_id: Mapped[int | None] = mapped_column(
        ForeignKey("feedback.id", ondelete="SET NULL"), nullable=True
    )
    rule_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_rules.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # The SLA metrics whose breach was already announced (``case.breached`` fires once each).
    breached: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The help-desk ticket the case was imported from (``cxgap cases import``); None otherwise.
    ticket_ref: Mapped[str | None] = mapped_column(String(200), nullable=True)


class CaseEvent(Base):
    """Something that happened on a case. Never edited: the history and the SLA pauses."""

    __tablename__ = "case_events"
    __table_args__ = (Index("ix_case_events_case_at", "case_id", "at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # reply | note | status | assign | priority | created | reopened | attached
    type: Mapped[str] = mapped_column(String(16))
    author: Mapped[str] = mapped_column(String(16))  # agent | customer | system
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    auto: Mapped[bool] = mapped_column(Boolean, default=False)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    body: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    fields: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)


class CaseFeedback(Base):
    """A feedback item attached to a case (the one that opened it, and later matches)."""

    __tablename__ = "case_feedback"
    __table_args__ = (
        UniqueConstraint("case_id", "feedback_id"),
        Index("ix_case_feedback_feedback", "feedback_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    feedback_id: Mapped[int] = mapped_column(ForeignKey("feedback.id", ondelete="CASCADE"))
    attached_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
