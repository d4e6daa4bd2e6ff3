"""Tables of the service levels: the workspace's service-level document (calendar, policies,
tiers) with its history, the service accounts and their tier, the availability incidents."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from cxgap.db.table_base import Base, UTCDateTime, utcnow


class ServiceLevelDocument(Base):
    """The workspace's service levels in the contract's JSON form (``docs/sla.md``: the
    calendar, the ordered policies and the menu's tiers, without the accounts, which live in
    ``service_accounts``), validated by ``sla.documents`` before it is stored."""

    __tablename__ = "service_level_documents"

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    document: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The public service menu: off until the workspace publishes it at ``/menu/<public_slug>``.
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    public_slug: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)


class ServiceLevelVersion(Base):
    """A previous version of the document, kept when it is replaced: who changed what, when."""

    __tablename__ = "service_level_versions"
    __table_args__ = (UniqueConstraint("workspace_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    document: Mapped[str] = mapped_column(Text)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ServiceAccount(Base):
    """A customer account (a company, a customer) and the tier of the menu it pays for."""

    __tablename__ = "service_accounts"
    __table_args__ = (UniqueConstraint("workspace_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    tier: Mapped[str | None] = mapped_column(String(100), nullable=True)
    # Stored masked unless the installation turned masking off (services/contact_masking.py).
    contact: Mapped[str | None] = mapped_column(String(320), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AvailabilityIncident(Base):
    """Downtime from ``start`` to ``end`` for some accounts (a JSON list) or all (null)."""

    __tablename__ = "availability_incidents"
    __table_args__ = (Index("ix_availability_incidents_workspace_start", "workspace_id", "start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    start: Mapped[datetime] = mapped_column(UTCDateTime())
    end: Mapped[datetime] = mapped_column(UTCDateTime())
    accounts: Mapped[str | None] = mapped_column(Text, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
