"""The community's e-mail outbox (issue 15, ``docs/community.md``): one row per person and
piece of news, written in the transaction that made the news, delivered by the background
worker (``jobs/notifications.py``) or ``cxgap notify send``, and never sent twice."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from cxgap.db.table_base import Base, UTCDateTime, utcnow


class CommunityNotification(Base):
    """News for one person: an idea they follow changed status (``idea_status``), or their
    question in the help centre got an answer (``help_answer``, ``help_accepted``)."""

    __tablename__ = "community_notifications"
    __table_args__ = (
        UniqueConstraint("person_id", "status_change_id"),
        # The outbox's reads: what is still to send, oldest first.
        Index("ix_community_notifications_pending", "sent_at", "claimed_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("community_people.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    idea_id: Mapped[int | None] = mapped_column(
        ForeignKey("ideas.id", ondelete="CASCADE"), nullable=True
    )
    status_change_id: Mapped[int | None] = mapped_column(
        ForeignKey("idea_status_changes.id", ondelete="CASCADE"), nullable=True
    )
    # A help centre answer (``help_answer``: a new answer to the person's question;
    # ``help_accepted``: an answer to it was accepted).
    help_answer_id: Mapped[int | None] = mapped_column(
        ForeignKey("help_answers.id", ondelete="CASCADE"), nullable=True
    )
    # Where the links of the e-mail point (the public address when the news was made).
    base_url: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Claimed by a sender before the e-mail goes: a claimed row is never sent again.
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    attempts: Mapped[int] = mapped_column(SmallInteger, default=0)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Why it did not go: the server's refusal, "interrupted", "unsubscribed"…
    failure: Mapped[str] = mapped_column(String(200), default="")
