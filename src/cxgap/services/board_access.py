"""An idea board's settings (``docs/community.md``, "Board settings"): moderation, open or
closed, public or private with its allow-list; and the checks that apply them: a closed
board refuses new ideas, votes and comments from customers (here, so the pages, the command
line and the API all refuse alike), a private board lets only allowed addresses sign in."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from cxgap.community.board_access import allowed, check_private, parse_allow_list
from cxgap.db.tables import CommunityPerson, IdeaBoardSetting, Workspace
from cxgap.errors import ConflictError, PermissionDeniedError


@dataclass(frozen=True)
class BoardSettings:
    moderate: bool = False
    open: bool = True
    private: bool = False
    allow_list: tuple[str, ...] = ()

    def may_read(self, person: CommunityPerson | None) -> bool:
        """Anyone on a public board; on a private one, a signed-in person whose address is
        on the list."""
        if not self.private:
            return True
        return (
            person is not None
            and person.email is not None
            and allowed(self.allow_list, person.email)
        )


def settings_of(session: Session, workspace: Workspace) -> BoardSettings:
    row = session.get(IdeaBoardSetting, workspace.id)
    if row is None:
        return BoardSettings()
    entries = tuple(line for line in row.allow_list.splitlines() if line)
    return BoardSettings(row.moderate_ideas, row.board_open, row.private, entries)


def save_settings(
    session: Session,
    *,
    workspace: Workspace,
    moderate: bool,
    board_open: bool,
    private: bool,
    allow_list: str,
) -> BoardSettings:
    """Store the board's settings, or raise the ``ValidationError`` naming each bad line of
    the allow-list (nothing stored)."""
    entries = parse_allow_list(allow_list)
    check_private(private, entries)
    row = session.get(IdeaBoardSetting, workspace.id)
    if row is None:
        row = IdeaBoardSetting(workspace_id=workspace.id)
        session.add(row)
    row.moderate_ideas, row.board_open, row.private = moderate, board_open, private
    row.allow_list = "\n".join(entries)
    session.flush()
    return BoardSettings(moderate, board_open, private, entries)


def check_open(session: Session, workspace: Workspace) -> None:
    """Refuse a customer's new idea, vote or comment on a closed board (409)."""
    if not settings_of(session, workspace).open:
        raise ConflictError("This board is closed: it takes no new ideas, votes or comments").keyed(
            "community_admin.error.board_closed"
        )


def check_may_sign_in(session: Session, workspace: Workspace, email: str) -> None:
    """On a private board, only an address on the allow-list may sign in (403)."""
    board = settings_of(session, workspace)
    if board.private and not allowed(board.allow_list, email):
        raise PermissionDeniedError("This address may not sign in to this private board").keyed(
            "community_admin.error.not_on_list"
        )
