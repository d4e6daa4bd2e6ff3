"""The rules that open cases, applied to feedback that arrived before they were saved.

Rules normally run where feedback lands (an import, a survey batch, an enrichment run). An
analyst who adds a rule can also run the rules over the feedback collected since a day:

- the same matching as for new feedback (``case_rules.matching_items``): the first enabled rule
  that an item meets, items that a case already holds left out, so running twice opens nothing
  the second time; a customer with an open case gets the item attached to it, never a second
  case (and a customer met twice in the run gets one case, the later items attached);
- bounded work: the items are read in batches of ``BATCH`` in (collected_at, id) order, each
  batch matched and written in its own transaction, so memory and lock time stay bounded and
  an interrupted run resumes where it stopped when started again;
- a preview (``preview_rules_since``) counts what a run would do without writing anything.

The day is read in the workspace calendar's time zone (midnight local time). Cases opened
this way start their SLA clocks when they are opened, like any case a rule opens: the
company learns of the feedback then.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from cxgap.db.tables import CaseRule, Feedback, Workspace
from cxgap.errors import ValidationError
from cxgap.services import case_rules, case_sla, cases
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace

BATCH = 500
FIRST_DAY = date(1900, 1, 1)  # earlier days are no feedback's, and overflow in UTC
Key = tuple[datetime, int]


@dataclass(frozen=True)
class Backfill:
    """What a run did (or, for a preview, would do)."""

    since: date
    matched: int  # items a rule matches that no case held
    opened: int  # cases opened
    attached: int  # items attached to a customer's open case
    batches: int
    dry_run: bool

    def as_dict(self) -> dict[str, object]:
        return {
            "since": self.since.isoformat(),
            "matched": self.matched,
            "opened": self.opened,
            "attached": self.attached,
            "batches": self.batches,
            "dry_run": self.dry_run,
        }


def read_since(value: str | date, field: str = "since") -> date:
    """The day as YYYY-MM-DD, or a ValidationError naming the field and the value."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationError.single(
            field, "must be a date written YYYY-MM-DD", value, code="day"
        ) from None


def _start(session: Session, workspace: Workspace, since: date) -> datetime:
    if since < FIRST_DAY:
        raise ValidationError.single(
            "since", "must be 1900-01-01 or later", since.isoformat(), code="day_from_1900"
        )
    zone = case_sla.zone_of(session, workspace.id)
    return datetime(since.year, since.month, since.day, tzinfo=zone)


def _batch(
    session: Session, workspace: Workspace, start: datetime, after: Key | None, size: int
) -> list[Key]:
    """The next ``size`` items collected since ``start``, after ``after`` in (time, id) order."""
    query = select(Feedback.collected_at, Feedback.id).where(
        Feedback.workspace_id == workspace.id, Feedback.collected_at >= start
    )
    if after is not None:
        at, last = after
        query = query.where(
            or_(Feedback.collected_at > at, and_(Feedback.collected_at == at, Feedback.id > last))
        )
    rows = session.execute(query.order_by(Feedback.collected_at, Feedback.id).limit(size))
    return [(at, item_id) for at, item_id in rows]


def _matches(
    session: Session, workspace: Workspace, keys: list[Key]
) -> list[tuple[CaseRule, Feedback]]:
    scope = Feedback.id.in_([item_id for _, item_id in keys])
    return case_rules.matching_items(session, workspace.id, scope)


def _checked_size(batch_size: int) -> int:
    if not 1 <= batch_size <= 10_000:
        raise ValidationError.single(
            "batch_size", "must be a whole number from 1 to 10000", batch_size, code="range",
            params={"low": 1, "high": 10_000},
        )  # fmt: skip
    return batch_size


def preview_rules_since(
    session: Session, workspace: Workspace, since: date, *, batch_size: int = BATCH
) -> Backfill:
    """What ``apply_rules_since`` would do now: nothing is written."""
    size = _checked_size(batch_size)
    start = _start(session, workspace, since)
    seen: set[str] = set()  # customers who have, or would get, an open case
    matched = opened = batches = 0
    after: Key | None = None
    while keys := _batch(session, workspace, start, after, size):
        batches += 1
        after = keys[-1]
        found = _matches(session, workspace, keys)
        refs = {item.customer_ref for _, item in found if item.customer_ref}
        seen |= set(case_rules.open_customers(session, workspace.id, refs - seen))
        for _, item in found:
            matched += 1
            if not item.customer_ref or item.customer_ref not in seen:
                opened += 1
            if item.customer_ref:
                seen.add(item.customer_ref)
    return Backfill(since, matched, opened, matched - opened, batches, True)


def apply_rules_since(
    cx: Cxgap,
    *,
    workspace_key: str,
    since: date,
    batch_size: int = BATCH,
    now: datetime | None = None,
) -> Backfill:
    """Open (or attach to) cases for the feedback collected since ``since`` that a rule
    matches and no case holds, one transaction per batch."""
    size = _checked_size(batch_size)
    matched = opened = attached = batches = 0
    for counts in _batches(cx, workspace_key, since, size, now):
        batches += 1
        matched += counts[0]
        opened += counts[1]
        attached += counts[2]
    return Backfill(since, matched, opened, attached, batches, False)


def _batches(
    cx: Cxgap, workspace_key: str, since: date, size: int, now: datetime | None
) -> Iterator[tuple[int, int, int]]:
    after: Key | None = None
    while True:
        with cx.transaction() as session:
            workspace = get_workspace(session, workspace_key)
            keys = _batch(session, workspace, _start(session, workspace, since), after, size)
            if not keys:
                return
            after = keys[-1]
            found = _matches(session, workspace, keys)
            made, joined = case_rules.open_or_attach(
                session, workspace.id, found, now or cases.now_utc()
            )
        yield len(found), made, joined
