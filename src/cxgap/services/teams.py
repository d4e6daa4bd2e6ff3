"""Teams of a workspace: groups of members that cases are assigned to."""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap.db.tables import Team, TeamMember, User, Workspace
from cxgap.errors import ConflictError, ValidationError
from cxgap.services.cases import checked_text, member_by_email, team_by_key

_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


def create_team(session: Session, *, workspace: Workspace, key: str, name: str) -> Team:
    key = key.strip()
    if not _KEY.match(key):
        raise ValidationError.single(
            "key", "lower-case letters, digits, - and _ (64 at most)", key, code="team_key"
        )
    clean_name = checked_text("name", name, 200, required=True)
    known = select(Team.id).where(Team.workspace_id == workspace.id, Team.key == key)
    if session.scalar(known) is not None:
        raise ConflictError(f"Team {key!r} already exists in workspace {workspace.key!r}")
    team = Team(workspace_id=workspace.id, key=key, name=clean_name)
    session.add(team)
    session.flush()
    return team


def add_team_member(session: Session, *, workspace: Workspace, team_key: str, email: str) -> None:
    team = team_by_key(session, workspace.id, team_key)
    user = member_by_email(session, workspace.id, email)
    known = select(TeamMember.id).where(
        TeamMember.team_id == team.id, TeamMember.user_id == user.id
    )
    if session.scalar(known) is None:
        session.add(TeamMember(team_id=team.id, user_id=user.id))
        session.flush()


def teams_of(session: Session, workspace: Workspace) -> list[tuple[Team, list[str]]]:
    """Each team of the workspace with its members' e-mails."""
    teams = list(
        session.scalars(select(Team).where(Team.workspace_id == workspace.id).order_by(Team.name))
    )
    members: dict[int, list[str]] = {t.id: [] for t in teams}
    rows = session.execute(
        select(TeamMember.team_id, User.email)
        .join(User, User.id == TeamMember.user_id)
        .where(TeamMember.team_id.in_(list(members)))
        .order_by(User.email)
    )
    for team_id, email in rows:
        members[team_id].append(email)
    return [(t, members[t.id]) for t in teams]


def rename_team(session: Session, *, workspace: Workspace, team_key: str, name: str) -> Team:
    team = team_by_key(session, workspace.id, team_key)
    team.name = checked_text("name", name, 200, required=True)
    session.flush()
    return team


def delete_team(session: Session, *, workspace: Workspace, team_key: str) -> None:
    """Delete the team: its cases and rules keep no team (their history says who had it)."""
    session.delete(team_by_key(session, workspace.id, team_key))
    session.flush()


def remove_team_member(
    session: Session, *, workspace: Workspace, team_key: str, email: str
) -> None:
    team = team_by_key(session, workspace.id, team_key)
    user = member_by_email(session, workspace.id, email)
    row = session.scalar(
        select(TeamMember).where(TeamMember.team_id == team.id, TeamMember.user_id == user.id)
    )
    if row is not None:
        session.delete(row)
        session.flush()


def set_team_members(
    session: Session, *, workspace: Workspace, team_key: str, emails: Sequence[str]
) -> None:
    """Make these members (and only them) the team's; every e-mail must be a member's."""
    team = team_by_key(session, workspace.id, team_key)
    wanted = {member_by_email(session, workspace.id, e).id for e in emails}
    rows = session.scalars(select(TeamMember).where(TeamMember.team_id == team.id))
    for row in rows:
        if row.user_id in wanted:
            wanted.discard(row.user_id)
        else:
            session.delete(row)
    session.add_all(TeamMember(team_id=team.id, user_id=user_id) for user_id in sorted(wanted))
    session.flush()


def team_members(
    session: Session, *, workspace: Workspace, team_key: str
) -> tuple[Team, list[str]]:
    """One team and its members' e-mails."""
    team = team_by_key(session, workspace.id, team_key)
    return next((t, m) for t, m in teams_of(session, workspace) if t.id == team.id)
