"""Answers the public survey's honeypot caught: held apart from the customers' answers, so
no figure ever counts them, with a counter per survey and hour that caps how many are kept
(docs/integrity.md)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from cxgap.db.table_base import Base, UTCDateTime, utcnow


class BotAnswer(Base):
    """One bot's post as it came: the answer's fields (cut short), never its address."""

    __tablename__ = "bot_answers"
    __table_args__ = (Index("ix_bot_answers_ws_received", "workspace_id", "received_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    survey_id: Mapped[int] = mapped_column(
        ForeignKey("customer_surveys.id", ondelete="CASCADE"), index=True
    )
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reason: Mapped[str] = mapped_column(String(32))  # "honeypot"
    agent: Mapped[str | None] = mapped_column(String(128), nullable=True)
    nps: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    duration_seconds: Mapped[float | None] = mapped_column(Float, nullable=True)
    fields: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)


class BotAnswerHour(Base):
    """Bot posts to one survey in one hour: ``held`` kept (up to the cap), ``dropped`` only
    counted."""

    __tablename__ = "bot_answer_hours"
    __table_args__ = (UniqueConstraint("survey_id", "hour"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("customer_surveys.id", ondelete="CASCADE"))
    hour: Mapped[datetime] = mapped_column(UTCDateTime())
    held: Mapped[int] = mapped_column(Integer, default=0)
    dropped: Mapped[int] = mapped_column(Integer, default=0)
