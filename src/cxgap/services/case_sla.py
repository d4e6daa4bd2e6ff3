"""The SLA of stored cases: their history read as ``sla.Case``, evaluated under the
workspace's policies; the queue sorted by time left; breaches announced once.

The default policy set is the seed's promise, "answer enquiries and complaints the same day",
said honestly with the engine, which counts business minutes (no "end of day" target):

- business hours Monday to Friday 09:00-12:30 and 13:30-18:00 (a lunch break), Europe/Paris
  (workspaces have no time zone of their own yet);
- first response within 240 business minutes: anything that arrives by 14:00 on a working
  day is answered the same day; later, by the middle of the next working morning. Urgent 60,
  high 120;
- next response (each customer message after a public reply) 240, and resolution within five
  business days (2,400 minutes; urgent one day, high two), paused while pending customer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap.db.tables import (
    CaseEvent,
    CaseRow,
    ServiceAccount,
    ServiceLevelDocument,
    Team,
    Workspace,
)
from cxgap.services import cases as cases_service
from cxgap.services import service_levels
from cxgap.services.case_segments import asks_for_segments, segments_of_cases
from cxgap.services.cases import CLOSED
from cxgap.sla.calendar import BusinessCalendar, Opening
from cxgap.sla.cases import Case, Event
from cxgap.sla.clock import Status
from cxgap.sla.evaluation import CaseResult, evaluate_case, time_left
from cxgap.sla.policy import Metric, Policy, PolicySet
from cxgap.webhooks import store as webhooks

DEFAULT_ZONE = "Europe/Paris"
_DAY = (Opening(time(9), time(12, 30)), Opening(time(13, 30), time(18)))
_FIRST = {"urgent": 60, "high": 120}
_RESOLUTION = {"urgent": 480, "high": 960}


def default_policy_set(zone: str = DEFAULT_ZONE) -> PolicySet:
    """Same-day first response (seed 000), on weekdays with a lunch break."""
    calendar = BusinessCalendar(zone=ZoneInfo(zone), week=(_DAY,) * 5 + ((), ()))
    policies = [
        Policy(
            name=f"same-day-{priority}",
            match={"priority": priority},
            targets={
                Metric.FIRST_RESPONSE: _FIRST[priority],
                Metric.NEXT_RESPONSE: _FIRST[priority],
                Metric.RESOLUTION: _RESOLUTION[priority],
            },
        )
        for priority in ("urgent", "high")
    ]
    policies.append(
        Policy(
            name="same-day",
            targets={
                Metric.FIRST_RESPONSE: 240,
                Metric.NEXT_RESPONSE: 240,
                Metric.RESOLUTION: 2400,
            },
        )
    )
    return PolicySet(calendar=calendar, policies=policies)


def policy_set_for(session: Session, workspace_id: int) -> PolicySet:
    """The calendar and policies the workspace saved on its Service levels page
    (docs/service-menu.md); until it saves its own, the same-day default above."""
    if session.get(ServiceLevelDocument, workspace_id) is not None:
        menu = service_levels.menu_of(session, workspace_id)
        if menu is not None:
            return menu.policies
    return default_policy_set()


def tiers_of(session: Session, workspace_id: int) -> dict[str, str]:
    """Each service account's tier, by account key: a case's ``tier`` comes from its account."""
    rows = session.execute(
        select(ServiceAccount.key, ServiceAccount.tier).where(
            ServiceAccount.workspace_id == workspace_id, ServiceAccount.tier.is_not(None)
        )
    )
    return {key: tier for key, tier in rows if tier}


def _events_of(session: Session, case_ids: Sequence[int]) -> dict[int, list[CaseEvent]]:
    grouped: dict[int, list[CaseEvent]] = defaultdict(list)
    if not case_ids:
        return grouped
    query = (
        select(CaseEvent)
        .where(CaseEvent.case_id.in_(case_ids))
        .order_by(CaseEvent.case_id, CaseEvent.at, CaseEvent.id)
    )
    for event in session.scalars(query):
        grouped[event.case_id].append(event)
    return grouped


def engine_event(event: CaseEvent) -> Event | None:
    """A stored event as the engine reads it; ``None`` for those it has no use for."""
    if event.type == "reply":
        return Event(
            at=event.at, type="reply", by=event.author, public=event.public, auto=event.auto
        )
    if event.type == "attached":  # the customer spoke again
        return Event(at=event.at, type="reply", by="customer", public=True)
    if event.type in ("status", "reopened") and event.status:
        return Event(at=event.at, type="status", status=event.status)
    if event.type == "priority":
        return Event(at=event.at, type="update", fields={"priority": event.fields.get("priority")})
    return None


def sla_case(
    row: CaseRow,
    events: Sequence[CaseEvent],
    tiers: Mapping[str, str] | None = None,
    segments: tuple[str, ...] = (),
) -> Case:
    """The case as the engine sees it; its attributes are those it was created with (the
    priority changes are ``update`` events, so the policy follows them in time), the tier of
    its account when ``tiers`` knows it, and its customer's ``segments`` (a policy matching
    one ``segment`` fits a case in that segment among others)."""
    first_change = next((e for e in events if e.type == "priority"), None)
    initial = row.priority if first_change is None else first_change.fields.get("from")
    attributes: dict[str, object] = {
        "priority": initial or row.priority,
        "channel": row.channel,
        "account": row.account,
    }
    tier = None if tiers is None or row.account is None else tiers.get(row.account)
    if tier is not None:
        attributes["tier"] = tier
    if segments:
        attributes["segment"] = segments
    created = next((e for e in events if e.type == "created"), None)
    skipped = None if created is None else created.fields.get("unmeasured")
    if isinstance(skipped, list) and skipped:  # an imported ticket's (services/case_imports)
        attributes["unmeasured"] = [str(m) for m in skipped]
    converted = [e for e in map(engine_event, events) if e is not None]
    return Case(str(row.number), row.created_at, attributes, converted, row.account)


def sla_cases(session: Session, workspace_id: int, rows: Sequence[CaseRow]) -> list[Case]:
    """Stored cases as the engine reads them, each with its account's tier and, when a
    policy of the workspace matches on ``segment``, its customer's segments."""
    events = _events_of(session, [r.id for r in rows])
    tiers = tiers_of(session, workspace_id)
    segments: dict[int, tuple[str, ...]] = {}
    if rows and asks_for_segments(policy_set_for(session, workspace_id)):
        segments = segments_of_cases(session, workspace_id, [r.id for r in rows])
    return [sla_case(r, events[r.id], tiers, segments.get(r.id, ())) for r in rows]


def with_teams(session: Session, rows: Sequence[CaseRow], found: Sequence[Case]) -> list[Case]:
    """``found`` (the engine's cases of ``rows``, in order) with each case's team key among
    its attributes, for compliance by team."""
    wanted = {r.team_id for r in rows if r.team_id is not None}
    keys: dict[int | None, str] = {
        team_id: key
        for team_id, key in session.execute(select(Team.id, Team.key).where(Team.id.in_(wanted)))
    }
    return [
        Case(c.id, c.created_at, {**c.attributes, "team": keys.get(r.team_id)}, c.events, c.account)
        for r, c in zip(rows, found, strict=True)
    ]


def evaluate_rows(
    session: Session, workspace_id: int, rows: Sequence[CaseRow], now: datetime
) -> list[CaseResult]:
    policies = policy_set_for(session, workspace_id)
    return [evaluate_case(policies, case, now) for case in sla_cases(session, workspace_id, rows)]


@dataclass(frozen=True)
class QueueEntry:
    """An open case, its SLA and the least business time left on a clock waiting on us."""

    case: CaseRow
    result: CaseResult
    left: timedelta | None

    @property
    def warning(self) -> bool:
        return any(
            m.clock is not None and m.clock.warning and m.status is Status.ACTIVE
            for m in self.result.metrics.values()
        )

    @property
    def breached(self) -> bool:
        return any(m.status is Status.MISSED for m in self.result.metrics.values())


def case_queue(
    session: Session, workspace: Workspace, rows: Sequence[CaseRow], now: datetime
) -> list[QueueEntry]:
    """The open cases among ``rows``: those waiting on the company first, least time left
    (most overdue) first; then those waiting on the customer or with no clock running."""
    open_rows = [r for r in rows if r.status not in CLOSED]
    results = evaluate_rows(session, workspace.id, open_rows, now)
    entries = [
        QueueEntry(r, res, time_left(res)) for r, res in zip(open_rows, results, strict=True)
    ]
    waiting = sorted(
        (e for e in entries if e.left is not None), key=lambda e: e.left or timedelta()
    )
    rest = [e for e in entries if e.left is None]
    return waiting + rest


def zone_of(session: Session, workspace_id: int) -> ZoneInfo:
    return policy_set_for(session, workspace_id).calendar.zone


def calendar_of(session: Session, row: CaseRow) -> BusinessCalendar:
    """The support hours the case's clocks run on: those of its account's tier when the
    tier has its own (and its zone), else the workspace calendar."""
    tier = tiers_of(session, row.workspace_id).get(row.account) if row.account else None
    attributes: dict[str, object] = {} if tier is None else {"tier": tier}
    return policy_set_for(session, row.workspace_id).calendar_for(attributes)


def announce_breaches(session: Session, now: datetime) -> list[tuple[CaseRow, str]]:
    """Every open case's metrics missed and not yet announced: ``case.breached`` sent once
    per case and metric, remembered on the case. Returns what was announced."""
    rows = list(session.scalars(select(CaseRow).where(CaseRow.status.not_in(CLOSED))))
    by_workspace: dict[int, list[CaseRow]] = defaultdict(list)
    for row in rows:
        by_workspace[row.workspace_id].append(row)
    announced: list[tuple[CaseRow, str]] = []
    for workspace_id, cases in by_workspace.items():
        for row, result in zip(
            cases, evaluate_rows(session, workspace_id, cases, now), strict=True
        ):
            for metric, measured in result.metrics.items():
                if measured.status is not Status.MISSED or metric.value in row.breached:
                    continue
                row.breached = [*row.breached, metric.value]
                due = None if measured.clock is None else measured.clock.due
                data: dict[str, object] = cases_service.case_data(row) | {
                    "metric": metric.value,
                    "due": None if due is None else due.isoformat(),
                }
                webhooks.emit(session, workspace_id, "case.breached", data)
                announced.append((row, metric.value))
    session.flush()
    return announced
