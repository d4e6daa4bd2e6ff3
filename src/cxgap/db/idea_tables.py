"""The idea board (issue 15, ``docs/community.md``): the people of a workspace's community,
the statuses its team defines, ideas with their votes, followers, comments and tags, and the
history of status changes that the changelog and the notifications read."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from cxgap.db.table_base import Base, UTCDateTime, utcnow


class CommunityPerson(Base):
    """A customer on the board or in the help centre: known by an e-mail address (signed in
    by a link, never a password) or anonymous (a browser's secret, of which only an HMAC is
    stored). The address is kept to send the notifications; its SHA-256 finds the person."""

    __tablename__ = "community_people"
    __table_args__ = (
        UniqueConstraint("workspace_id", "email_hash"),
        UniqueConstraint("workspace_id", "anonymous_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    email_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    anonymous_key: Mapped[str | None] = mapped_column(String(64), nullable=True)
    display_name: Mapped[str] = mapped_column(String(80), default="")
    language: Mapped[str] = mapped_column(String(5), default="en")
    blocked: Mapped[bool] = mapped_column(Boolean, default=False)
    # What the person wants by e-mail (their preferences page; one-click unsubscribe: none).
    mail_ideas: Mapped[bool] = mapped_column(Boolean, default=True)
    mail_answers: Mapped[bool] = mapped_column(Boolean, default=True)
    # The public badge page's address (``/community/<key>/people/<slug>``): random, never
    # derived from the address; shown only if the person shares it.
    public_slug: Mapped[str | None] = mapped_column(String(24), nullable=True, unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class IdeaStatus(Base):
    """A status of the workspace's board: its own key and names over a fixed kind
    (``community.statuses``)."""

    __tablename__ = "idea_statuses"
    __table_args__ = (UniqueConstraint("workspace_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(16))
    name_en: Mapped[str] = mapped_column(String(80))
    name_fr: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer, default=0)


class Idea(Base):
    """One wish of a customer (or of the team on a customer's behalf)."""

    __tablename__ = "ideas"
    __table_args__ = (Index("ix_ideas_ws_status", "workspace_id", "status_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(5), default="en")
    status_id: Mapped[int] = mapped_column(ForeignKey("idea_statuses.id"))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("community_people.id", ondelete="SET NULL"), nullable=True
    )
    # pending (waiting for moderation), approved, or declined by a moderator
    moderation: Mapped[str] = mapped_column(String(16), default="approved")
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("ideas.id", ondelete="SET NULL"), nullable=True
    )
    # The team's last message to the voters, shown under the status.
    status_message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    status_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class IdeaVote(Base):
    """One person's vote for an idea (at most one each)."""

    __tablename__ = "idea_votes"
    __table_args__ = (
        UniqueConstraint("idea_id", "person_id"),
        Index("ix_idea_votes_person", "person_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("community_people.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class IdeaFollower(Base):
    """A person told about the idea's news: its author, its voters, and whoever follows it."""

    __tablename__ = "idea_followers"
    __table_args__ = (UniqueConstraint("idea_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("community_people.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class IdeaComment(Base):
    """A comment under an idea, by a customer or by a member of the team."""

    __tablename__ = "idea_comments"
    __table_args__ = (Index("ix_idea_comments_idea", "idea_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("community_people.id", ondelete="SET NULL"), nullable=True
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class IdeaTag(Base):
    """A tag the team puts on ideas (the board filters by it)."""

    __tablename__ = "idea_tags"
    __table_args__ = (UniqueConstraint("workspace_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(40))
    name_en: Mapped[str] = mapped_column(String(80))
    name_fr: Mapped[str] = mapped_column(String(80))
    # ``#rrggbb``, one of ``community.tags.COLOURS`` (migration 0059)
    colour: Mapped[str] = mapped_column(String(7), default="#2563eb")


class IdeaTagLink(Base):
    __tablename__ = "idea_tag_links"

    idea_id: Mapped[int] = mapped_column(
        ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(
        ForeignKey("idea_tags.id", ondelete="CASCADE"), primary_key=True
    )


class IdeaStatusChange(Base):
    """A status change with the team's message: the idea's history, the changelog's entries
    and what the notifications to its followers say."""

    __tablename__ = "idea_status_changes"
    __table_args__ = (Index("ix_idea_status_changes_idea", "idea_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    from_status_id: Mapped[int | None] = mapped_column(
        ForeignKey("idea_statuses.id", ondelete="SET NULL"), nullable=True
    )
    to_status_id: Mapped[int] = mapped_column(ForeignKey("idea_statuses.id"))
    message: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
