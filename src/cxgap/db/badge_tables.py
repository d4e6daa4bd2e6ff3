"""Power users and badges (issue 15, ``docs/community.md``): the levels a workspace sets over
the reputation score, its badges defined as data, and the copies of each badge a person holds
(revoked, not deleted, when the rule stops holding)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from cxgap.db.table_base import Base, UTCDateTime, utcnow


class CommunityLevel(Base):
    __tablename__ = "community_levels"
    __table_args__ = (UniqueConstraint("workspace_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(40))
    name_en: Mapped[str] = mapped_column(String(80))
    name_fr: Mapped[str] = mapped_column(String(80))
    threshold: Mapped[int] = mapped_column(Integer)


class BadgeImage(Base):
    """An image uploaded for a badge (PNG, JPEG or WebP, checked by its bytes, at most
    ``community.badge_images.MAX_BYTES``; never SVG: an uploaded SVG can carry script).
    Stored in the database so that every web process serves it."""

    __tablename__ = "badge_images"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    media_type: Mapped[str] = mapped_column(String(20))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class BadgeDefinition(Base):
    """A badge of the workspace: names, descriptions, image, rule (``metric >= N``)."""

    __tablename__ = "badge_definitions"
    __table_args__ = (UniqueConstraint("workspace_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(40))
    name_en: Mapped[str] = mapped_column(String(80))
    name_fr: Mapped[str] = mapped_column(String(80))
    description_en: Mapped[str] = mapped_column(String(300))
    description_fr: Mapped[str] = mapped_column(String(300))
    image: Mapped[str] = mapped_column(String(80))  # a bundled icon (web/static/badges/)
    # An image the team uploaded instead (migration 0060); the bundled icon stays the fallback.
    image_id: Mapped[int | None] = mapped_column(
        ForeignKey("badge_images.id", ondelete="SET NULL"), nullable=True
    )
    rule: Mapped[str] = mapped_column(String(80))
    repeatable: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class BadgeAward(Base):
    """One copy of a badge held by a person (``copy`` 1, 2… for a repeatable badge)."""

    __tablename__ = "badge_awards"
    __table_args__ = (
        Index("ix_badge_awards_person", "person_id", "revoked_at"),
        Index("ix_badge_awards_badge", "badge_id", "person_id", "copy"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    badge_id: Mapped[int] = mapped_column(ForeignKey("badge_definitions.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("community_people.id", ondelete="CASCADE"))
    copy: Mapped[int] = mapped_column(Integer, default=1)
    awarded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
