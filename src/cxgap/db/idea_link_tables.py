"""Links between an idea of the board and what the team does about it: an action plan or a
case (migration 0061, ``docs/community.md``). Deleting the idea, the action or the case
deletes its links; the service keeps both ends in the same workspace."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from cxgap.db.table_base import Base, UTCDateTime, utcnow


class IdeaLink(Base):
    """One idea linked to one action plan (``action_plan``) or one case (``case``)."""

    __tablename__ = "idea_links"
    __table_args__ = (
        UniqueConstraint("idea_id", "action_id", name="uq_idea_links_action"),
        UniqueConstraint("idea_id", "case_id", name="uq_idea_links_case"),
        Index("ix_idea_links_action", "action_id"),
        Index("ix_idea_links_case", "case_id"),
        CheckConstraint(
            "(target_kind = 'action_plan' AND action_id IS NOT NULL AND case_id IS NULL)"
            " OR (target_kind = 'case' AND case_id IS NOT NULL AND action_id IS NULL)",
            name="ck_idea_links_one_target",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    target_kind: Mapped[str] = mapped_column(String(16))  # action_plan | case
    action_id: Mapped[int | None] = mapped_column(
        ForeignKey("actions.id", ondelete="CASCADE"), nullable=True
    )
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), nullable=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
