"""Cases as plain values (JSON-ready dicts) for the CLI, the REST API and the pages: one
shape everywhere, with each case's SLA as of ``now``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap.db.tables import CaseEvent, CaseFeedback, CaseRow, Feedback, Team, User, Workspace
from cxgap.services import case_recovery, case_sla, cases
from cxgap.sla.evaluation import CaseResult, time_left
from cxgap.sla.report import metric_json, minutes

Json = dict[str, object]


def _emails(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.execute(select(User.id, User.email).where(User.id.in_(ids)))
    return {user_id: email for user_id, email in rows}


def _team_keys(session: Session, workspace: Workspace) -> dict[int, str]:
    query = select(Team.id, Team.key).where(Team.workspace_id == workspace.id)
    return {team_id: key for team_id, key in session.execute(query)}


def sla_json(result: CaseResult, zone: ZoneInfo) -> Json:
    left = time_left(result)
    measured = result.metrics.values()
    return {
        "policy": None if result.policy is None else result.policy.name,
        "business_minutes_left": None if left is None else minutes(left),
        "warning": any(m.clock is not None and m.clock.warning for m in measured),
        "breached": any(m.status is not None and m.status.value == "missed" for m in measured),
        "metrics": {m.value: metric_json(v, zone, details=True) for m, v in result.metrics.items()},
    }


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def summaries(
    session: Session, workspace: Workspace, rows: Sequence[CaseRow], now: datetime
) -> list[Json]:
    """Each case with its assignee, team and SLA, in the order given."""
    results = case_sla.evaluate_rows(session, workspace.id, rows, now)
    zone = case_sla.zone_of(session, workspace.id)
    emails = _emails(session, {r.assignee_id for r in rows if r.assignee_id is not None})
    teams = _team_keys(session, workspace)
    return [
        {
            "number": row.number,
            "subject": row.subject,
            "status": row.status,
            "priority": row.priority,
            "customer_ref": row.customer_ref,
            "account": row.account,
            "channel": row.channel,
            "assignee": emails.get(row.assignee_id) if row.assignee_id else None,
            "team": teams.get(row.team_id) if row.team_id else None,
            "feedback_id": row.feedback_id,
            "rule_id": row.rule_id,
            "created_at": _iso(row.created_at),
            "updated_at": _iso(row.updated_at),
            "closed_at": _iso(row.closed_at),
            "sla": sla_json(result, zone),
        }
        for row, result in zip(rows, results, strict=True)
    ]


def queue(
    session: Session,
    workspace: Workspace,
    now: datetime,
    *,
    assignee_id: int | None = None,
    team_id: int | None = None,
    statuses: tuple[str, ...] = (),
) -> list[Json]:
    """The open cases, least time left first (the most overdue on top), then those waiting
    on the customer; asked for ``resolved`` or ``closed``, those cases after the open ones,
    the most recently closed first (imported past tickets too)."""
    wanted = statuses or tuple(s for s in cases.STATUSES if s not in cases.CLOSED)
    rows = cases.list_cases(
        session, workspace, statuses=wanted, assignee_id=assignee_id, team_id=team_id
    )
    ordered = [e.case for e in case_sla.case_queue(session, workspace, rows, now)]
    done = [r for r in rows if r.status in cases.CLOSED]
    ordered += sorted(done, key=_closed_key, reverse=True)
    return summaries(session, workspace, ordered, now)


def _closed_key(row: CaseRow) -> tuple[bool, datetime, int]:
    """Most recently closed first once reversed; a closed case without its time last."""
    at = row.closed_at
    return (at is not None, at.replace(tzinfo=None) if at else datetime.min, row.number)


def event_json(event: CaseEvent, emails: dict[int, str]) -> Json:
    return {
        "id": event.id,
        "at": _iso(event.at),
        "type": event.type,
        "by": event.author,
        "public": event.public,
        "auto": event.auto,
        "actor": emails.get(event.actor_id) if event.actor_id else None,
        "body": event.body,
        "status": event.status,
        "fields": dict(event.fields),
    }


def detail(session: Session, workspace: Workspace, case: CaseRow, now: datetime) -> Json:
    """A case with its full history and the feedback attached to it."""
    events = cases.history(session, case)
    emails = _emails(session, {e.actor_id for e in events if e.actor_id is not None})
    attached = session.execute(
        select(Feedback.id, Feedback.text, Feedback.collected_at, Feedback.nps, Feedback.csat)
        .join(CaseFeedback, CaseFeedback.feedback_id == Feedback.id)
        .where(CaseFeedback.case_id == case.id)
        .order_by(Feedback.collected_at, Feedback.id)
    )
    feedback = [
        {"id": i, "text": text, "collected_at": _iso(at), "nps": nps, "csat": csat}
        for i, text, at, nps, csat in attached
    ]
    summary = summaries(session, workspace, [case], now)[0]
    return summary | {
        "events": [event_json(e, emails) for e in events],
        "feedback": feedback,
        "recoveries": [asdict(r) for r in case_recovery.recoveries_of(session, case)],
    }
