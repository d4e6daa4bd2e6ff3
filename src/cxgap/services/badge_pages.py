"""A person's public badge page and the community's leaderboard (``docs/community.md``):
what a visitor may see of a person — the name they chose (never their address), their level
and the badges they hold."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap.db.tables import CommunityPerson, Workspace
from cxgap.errors import NotFoundError
from cxgap.services.community_reputation import Standing, standings
from cxgap.services.workspaces import get_workspace


@dataclass(frozen=True)
class BadgePage:
    workspace: Workspace
    slug: str
    standing: Standing


def badge_page(session: Session, *, workspace_key: str, slug: str) -> BadgePage:
    """The badge page at ``slug``, or NotFoundError (an unknown slug, or another workspace's)."""
    workspace = get_workspace(session, workspace_key)
    person_id = session.scalar(
        select(CommunityPerson.id).where(
            CommunityPerson.workspace_id == workspace.id,
            CommunityPerson.public_slug == slug,
            CommunityPerson.blocked.is_(False),
        )
    )
    found = [] if person_id is None else standings(session, workspace, [person_id])
    if not found:
        raise NotFoundError("No such badge page").keyed("community.error.no_badge_page")
    return BadgePage(workspace, slug, found[0])


def leaderboard(
    session: Session, *, workspace_key: str, limit: int = 20
) -> tuple[Workspace, list[Standing]]:
    """The people with points, best first (those without a chosen name stay anonymous)."""
    workspace = get_workspace(session, workspace_key)
    return workspace, [s for s in standings(session, workspace) if s.score > 0][:limit]
