"""Worsening alerts: each owned subject whose sentiment, negative share or NPS got
significantly worse over the last window is announced once per window to the members of
its owning teams, in each one's language, with the figures and the verbatims behind the
change; and to webhooks (``ownership.worsened``). Run by the ``ownership_alerts`` job."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from cxgap.analytics.worsening import DEFAULT_ALPHA, DEFAULT_MIN_COUNT
from cxgap.db.tables import Ownership, OwnershipAlert, Team, Workspace
from cxgap.mail import Letter
from cxgap.mail.message import long_date, render_letter
from cxgap.services.ownership import team_recipients
from cxgap.services.ownership_watch import (
    ALERT_BASELINE_DAYS,
    ALERT_WINDOW_DAYS,
    SubjectReport,
    Windows,
    measure_json,
    measure_subjects,
    measure_view,
    verbatims_behind,
    windows_ending,
)
from cxgap.webhooks import store as webhooks

EVENT = "ownership.worsened"


@dataclass
class AlertRound:
    """What one round found: the subjects tested, those announced, and the letters to send
    (once the alerts are committed)."""

    tested: int = 0
    announced: list[tuple[str, str, str]] = field(default_factory=list)  # workspace, kind, key
    letters: list[Letter] = field(default_factory=list)


def owned_workspaces(session: Session) -> list[Workspace]:
    ids = select(Ownership.workspace_id).distinct()
    return list(
        session.scalars(select(Workspace).where(Workspace.id.in_(ids)).order_by(Workspace.id))
    )


def prepare_alerts(
    session: Session,
    *,
    now: datetime,
    window_days: int = ALERT_WINDOW_DAYS,
    baseline_days: int = ALERT_BASELINE_DAYS,
    alpha: float = DEFAULT_ALPHA,
    min_count: int = DEFAULT_MIN_COUNT,
) -> AlertRound:
    """Test every owned subject of every workspace; record an alert (and queue its webhook
    deliveries) for each significant worsening not announced in an overlapping window."""
    windows = windows_ending(now, window_days=window_days, baseline_days=baseline_days)
    found = AlertRound()
    for workspace in owned_workspaces(session):
        reports = measure_subjects(session, workspace, windows, alpha=alpha, min_count=min_count)
        found.tested += len(reports)
        for report in reports:
            if report.result.worsened and not _announced(session, workspace, report, windows):
                found.letters += _announce(session, workspace, report, windows)
                found.announced.append((workspace.key, report.kind, report.key))
    return found


def _announced(session: Session, workspace: Workspace, r: SubjectReport, w: Windows) -> bool:
    """Already told in a window overlapping this one: once per subject and window."""
    query = exists().where(
        OwnershipAlert.workspace_id == workspace.id,
        OwnershipAlert.subject_kind == r.kind,
        OwnershipAlert.subject_key == r.key,
        OwnershipAlert.window_end > w.window_start,
    )
    return bool(session.scalar(select(query)))


def _announce(session: Session, workspace: Workspace, r: SubjectReport, w: Windows) -> list[Letter]:
    team_ids = list(
        session.scalars(
            select(Team.id).where(Team.workspace_id == workspace.id, Team.key.in_(r.teams))
        )
    )
    people = team_recipients(session, team_ids)
    figures = [measure_json(m) for m in r.result.measures]
    session.add(
        OwnershipAlert(
            workspace_id=workspace.id,
            subject_kind=r.kind,
            subject_key=r.key,
            window_start=w.window_start,
            window_end=w.window_end,
            figures=figures,
            recipients=len(people),
        )
    )
    session.flush()
    data = {
        "subject": {"kind": r.kind, "key": r.key, "name": r.name_en},
        "teams": list(r.teams),
        "window": {"from": w.window_start.isoformat(), "to": w.window_end.isoformat()},
        "baseline": {"from": w.baseline_start.isoformat(), "to": w.window_start.isoformat()},
        "measures": figures,
    }
    webhooks.emit(session, workspace.id, EVENT, data)
    verbatims = verbatims_behind(session, workspace, r, w) if people else []
    return [_letter(workspace, r, w, user.email, user.locale or "en", verbatims) for user in people]


def _letter(
    workspace: Workspace, r: SubjectReport, w: Windows, to: str, locale: str, verbatims: list[str]
) -> Letter:
    return render_letter(
        "ownership_worsened",
        to=to,
        locale=locale,
        subject_name=r.name(locale),
        subject_kind=r.kind,
        workspace=workspace.name,
        start=long_date(w.window_start, locale),
        end=long_date(w.window_end - timedelta(days=1), locale),
        days=(w.window_end - w.window_start).days,
        baseline_days=(w.window_start - w.baseline_start).days,
        measures=[measure_view(m, locale) for m in r.result.measures],
        irritant=r.irritant_name(locale),
        verbatims=verbatims,
        path=f"/w/{workspace.key}/ownership",
    )
