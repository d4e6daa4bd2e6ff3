"""Who a case can go to: a member of its workspace (by e-mail) or one of its teams (by key)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap.db.tables import Membership, Team, User
from cxgap.errors import ValidationError


def member_by_email(session: Session, workspace_id: int, email: str) -> User:
    user = session.scalars(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.workspace_id == workspace_id, User.email == email.strip().lower())
    ).first()
    if user is None:
        raise ValidationError.single(
            "assignee", "is not a member of this workspace", email, code="not_member"
        )
    return user


def team_by_key(session: Session, workspace_id: int, key: str) -> Team:
    team = session.scalars(
        select(Team).where(Team.workspace_id == workspace_id, Team.key == key.strip())
    ).first()
    if team is None:
        raise ValidationError.single("team", "no such team in this workspace", key, code="choice")
    return team
