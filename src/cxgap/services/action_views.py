"""Actions as plain values for the CLI, the API and the pages: people by e-mail, the team by
key, the target metric as JSON, and whether the action is late today."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap.db.tables import ActionRow, Team, User
from cxgap.services import action_notes
from cxgap.services.action_gaps import is_late
from cxgap.services.action_plans import target_of


def _emails(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(select(User.id, User.email).where(User.id.in_(wanted)))
    return {user_id: email for user_id, email in rows}


def _teams(session: Session, ids: Iterable[int | None]) -> dict[int, tuple[str, str]]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(select(Team.id, Team.key, Team.name).where(Team.id.in_(wanted)))
    return {i: (key, name) for i, key, name in rows}


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def summaries(session: Session, actions: list[ActionRow], today: date) -> list[dict[str, object]]:
    emails = _emails(session, (a.owner_id for a in actions))
    teams = _teams(session, (a.team_id for a in actions))
    out = []
    for a in actions:
        goal = target_of(a)
        team = teams.get(a.team_id) if a.team_id is not None else None
        out.append(
            {
                "id": a.id,
                "title": a.title,
                "description": a.description,
                "subject_kind": a.subject_kind,
                "subject_key": a.subject_key,
                "owner": emails.get(a.owner_id) if a.owner_id is not None else None,
                "team": team[0] if team else None,
                "team_name": team[1] if team else None,
                "start_date": _day(a.start_date),
                "due_date": _day(a.due_date),
                "status": a.status,
                "progress": a.progress,
                "late": is_late(a, today),
                "target": None if goal is None else goal.as_json(),
                "created_at": a.created_at,
                "updated_at": a.updated_at,
            }
        )
    return out


def detail(session: Session, action: ActionRow, today: date) -> dict[str, object]:
    steps = action_notes.steps_of(session, action)
    comments = action_notes.comments_of(session, action)
    emails = _emails(session, [*(s.owner_id for s in steps), *(c.author_id for c in comments)])
    return summaries(session, [action], today)[0] | {
        "steps": [
            {
                "id": s.id,
                "title": s.title,
                "owner": emails.get(s.owner_id) if s.owner_id is not None else None,
                "due_date": _day(s.due_date),
                "done": s.done,
                "late": not s.done and s.due_date is not None and s.due_date < today,
            }
            for s in steps
        ],
        "comments": [
            {
                "id": c.id,
                "author": emails.get(c.author_id) if c.author_id is not None else None,
                "body": c.body,
                "at": c.at,
            }
            for c in comments
        ],
    }
