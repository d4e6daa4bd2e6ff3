"""Each workspace's idea board settings (migration 0058, ``docs/community.md``)."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from cxgap.db.table_base import Base


class IdeaBoardSetting(Base):
    """Whether new ideas wait for a moderator before they show on the public board."""

    __tablename__ = "idea_board_settings"

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    moderate_ideas: Mapped[bool] = mapped_column(Boolean, default=False)
