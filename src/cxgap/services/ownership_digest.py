"""The weekly digest of a team: each subject it owns, this week against the week before,
significant or not, with its top irritant. Shown on ``/w/<key>/teams/<team>/digest`` and
e-mailed to the team's members by the weekly ``ownership_digest`` job, which records each
(team, week) sent (:func:`claim_digest`) before its letters go: a retried job, or a second
worker on the same slot, sends nothing again."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cxgap.db.tables import Ownership, OwnershipDigestSent, Team, Workspace
from cxgap.errors import NotFoundError
from cxgap.mail import Letter
from cxgap.mail.message import long_date, render_letter
from cxgap.services.ownership import team_recipients, team_subjects
from cxgap.services.ownership_alerts import owned_workspaces
from cxgap.services.ownership_watch import (
    SubjectReport,
    Windows,
    measure_subjects,
    measure_view,
    windows_ending,
)

DIGEST_DAYS = 7


@dataclass(frozen=True)
class Digest:
    """A team's week: the subjects it owns, each measured and tested (Holm across them)."""

    workspace: Workspace
    team: Team
    windows: Windows
    subjects: list[SubjectReport] = field(default_factory=list)

    @property
    def moved(self) -> int:
        return sum(r.result.worsened for r in self.subjects)

    def period(self, locale: str) -> dict[str, str]:
        w = self.windows
        return {
            "start": long_date(w.window_start, locale),
            "end": long_date(w.window_end - timedelta(days=1), locale),
            "before_start": long_date(w.baseline_start, locale),
            "before_end": long_date(w.window_start - timedelta(days=1), locale),
        }

    def rows(self, locale: str) -> list[dict[str, object]]:
        """Each subject as the page and the letter show it."""
        return [
            {
                "kind": r.kind,
                "key": r.key,
                "name": r.name(locale),
                "worsened": r.result.worsened,
                "irritant": r.irritant_name(locale),
                "irritant_count": r.irritant[2] if r.irritant else 0,
                "measures": [measure_view(m, locale) for m in r.result.measures],
            }
            for r in self.subjects
        ]


def team_digest(session: Session, *, workspace: Workspace, team_key: str, now: datetime) -> Digest:
    """This week (the 7 whole days before ``now``'s day) against the 7 days before."""
    team = session.scalar(
        select(Team).where(Team.workspace_id == workspace.id, Team.key == team_key)
    )
    if team is None:
        raise NotFoundError(f"No team {team_key!r} in workspace {workspace.key!r}")
    windows = windows_ending(now, window_days=DIGEST_DAYS, baseline_days=DIGEST_DAYS)
    owned = team_subjects(session, team)
    reports = measure_subjects(session, workspace, windows, only=owned) if owned else []
    return Digest(workspace, team, windows, reports)


def digest_letters(session: Session, *, now: datetime) -> list[Letter]:
    """This week's digest of every team that owns something, to each of its members."""
    letters = []
    for workspace in owned_workspaces(session):
        owning = select(Ownership.team_id).where(Ownership.workspace_id == workspace.id)
        teams = session.scalars(select(Team).where(Team.id.in_(owning)).order_by(Team.key))
        for team in teams:
            digest = team_digest(session, workspace=workspace, team_key=team.key, now=now)
            for user in team_recipients(session, [team.id]):
                letters.append(_letter(digest, user.email, user.locale or "en"))
    return letters


def owning_teams(session: Session) -> list[tuple[int, int]]:
    """``(workspace id, team id)`` of every team that owns something, in a stable order."""
    query = (
        select(Team.workspace_id, Team.id)
        .where(Team.id.in_(select(Ownership.team_id)))
        .order_by(Team.workspace_id, Team.key)
    )
    return [(ws, team) for ws, team in session.execute(query)]


def claim_digest(
    session: Session, *, workspace_id: int, team_id: int, now: datetime
) -> list[Letter]:
    """This week's digest letters of one team, if nobody sent them yet: the (team, week) row
    is written first, in a savepoint, so that a concurrent claim waits on it and then finds
    it taken (nothing returned). Call it as the first statement of its own transaction and
    commit before sending: what is committed is never sent twice."""
    windows = windows_ending(now, window_days=DIGEST_DAYS, baseline_days=DIGEST_DAYS)
    # A retry the next day has its own week: one overlapping a week sent counts as sent.
    overlapping = select(OwnershipDigestSent.id).where(
        OwnershipDigestSent.team_id == team_id,
        OwnershipDigestSent.week_end > windows.window_start,
    )
    sent = OwnershipDigestSent(workspace_id=workspace_id, team_id=team_id, recipients=0,
                               week_end=windows.window_end, created_at=now)  # fmt: skip
    try:
        with session.begin_nested():
            session.add(sent)
            session.flush()
    except IntegrityError:  # the same week sent already, or being sent by another worker
        return []
    if session.scalar(overlapping.where(OwnershipDigestSent.id != sent.id).limit(1)):
        session.delete(sent)
        return []
    workspace, team = session.get(Workspace, workspace_id), session.get(Team, team_id)
    if workspace is None or team is None:  # deleted meanwhile: nothing to send
        return []
    digest = team_digest(session, workspace=workspace, team_key=team.key, now=now)
    letters = [
        _letter(digest, u.email, u.locale or "en") for u in team_recipients(session, [team.id])
    ]
    sent.recipients = len(letters)
    return letters


def _letter(digest: Digest, to: str, locale: str) -> Letter:
    key = digest.workspace.key
    period = digest.period(locale)
    return render_letter(
        "ownership_digest",
        to=to,
        locale=locale,
        team=digest.team.name,
        workspace=digest.workspace.name,
        rows=digest.rows(locale),
        moved=digest.moved,
        path=f"/w/{key}/teams/{digest.team.key}/digest",
        start=period["start"],
        end=period["end"],
        before_start=period["before_start"],
        before_end=period["before_end"],
    )
