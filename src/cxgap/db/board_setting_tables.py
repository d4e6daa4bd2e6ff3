"""Each workspace's idea board settings (migrations 0058 and 0060, ``docs/community.md``)."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from cxgap.db.table_base import Base


class IdeaBoardSetting(Base):
    """Whether new ideas wait for a moderator before they show on the public board; whether
    the board takes new ideas, votes and comments (open) or only reads (closed); and who
    may read it: anyone (public) or only people signed in with an address on its allow-list
    (private)."""

    __tablename__ = "idea_board_settings"

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    moderate_ideas: Mapped[bool] = mapped_column(Boolean, default=False)
    board_open: Mapped[bool] = mapped_column(Boolean, default=True)
    private: Mapped[bool] = mapped_column(Boolean, default=False)
    # One e-mail domain (``example.com``) or address per line: who may sign in to a private
    # board.
    allow_list: Mapped[str] = mapped_column(Text, default="")
