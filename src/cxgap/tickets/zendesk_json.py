"""Zendesk's JSON export (one ticket per line, or a list, or ``{"tickets": […]}``) and,
optionally, its ticket metric events or its audits (``zendesk_audits.py``), turned into cases.

A ticket alone gives what a view export gives (``metric_set``: calendar minutes to the first
reply and first resolution, ``solved_at``, ``reopens``, pending time): read as in
``rows.py``, next responses unmeasured. With the ticket's metric events
(``/api/v2/incremental/ticket_metric_events``, under ``"ticket_metric_events"`` in the same
document or in a second file) the conversation is rebuilt and every metric is measured:

- ``reply_time`` instance 1 ``fulfill``: the first public agent reply; instance *n* > 1
  ``activate``: a customer message after a reply, its ``fulfill``: the reply to it;
- ``requester_wait_time`` ``pause``: pending (waiting on the customer), ``activate`` after a
  pause or a solve: open again, ``fulfill``: solved.

Zendesk's own ``apply_sla``, ``breach`` and ``update_status`` events are left aside: the
policy's calendar and targets judge the ticket again.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from cxgap.sla.cases import Case, Event
from cxgap.tickets import values
from cxgap.tickets.problems import Tally, refuse
from cxgap.tickets.zendesk_audits import audits_by_ticket, replay_audits

Json = dict[str, object]
Timed = tuple[datetime, Json]


def parse_json_lines(text: str, source: str) -> object:
    """A JSON document, or JSON Lines (Zendesk writes one ticket per line)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        pass
    items: list[object] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            items.append(json.loads(line))
        except json.JSONDecodeError as exc:
            refuse(source, "json", None, row=number, column=f"column {exc.colno}", error=exc.msg)
    return items


def tickets_of(document: object, source: str) -> list[object]:
    if isinstance(document, dict) and "tickets" in document:
        document = document["tickets"]
    if isinstance(document, dict) and "ticket" in document:  # a single ticket's answer
        document = [document["ticket"]]
    if not isinstance(document, list):
        refuse(source, "json_shape", None)
    return document


def metric_events_of(document: object) -> list[object]:
    if isinstance(document, dict):
        found = document.get("ticket_metric_events")
        return found if isinstance(found, list) else []
    return []


@dataclass(frozen=True)
class History:
    """What the export says besides the tickets, by ticket id: audits, metric events."""

    audits: Mapping[str, list[Json]]
    metric_events: Mapping[str, list[Timed]]
    roles: Mapping[str, str]


def zendesk_json_cases(
    tickets: Sequence[object],
    metric_events: Sequence[object],
    source: str,
    tally: Tally,
    *,
    audits: Sequence[object] = (),
    roles: Mapping[str, str] | None = None,
) -> list[Case]:
    """Each ticket replayed from its audits, else its metric events, else its metric set."""
    history = History(
        audits_by_ticket(audits, source), _events_by_ticket(metric_events, source), roles or {}
    )
    cases: list[Case] = []
    seen: set[str] = set()
    for position, raw in enumerate(tickets, start=1):
        tally.rows += 1
        if not isinstance(raw, dict):
            refuse(source, "json_shape", None, row=position, column="(ticket)")
        if raw.get("id") is None:
            tally.skipped["no_id"] += 1
            continue
        case_id = str(raw["id"])
        if case_id in seen:
            refuse(source, "duplicate_id", case_id, row=position, column="id")
        seen.add(case_id)
        cases.append(_case(case_id, raw, history, position, source, tally))
    return cases


def _events_by_ticket(raw: Sequence[object], source: str) -> Mapping[str, list[Timed]]:
    grouped: dict[str, list[Timed]] = defaultdict(list)
    for position, event in enumerate(raw, start=1):
        if not isinstance(event, dict) or event.get("ticket_id") is None:
            refuse(source, "json_shape", None, row=position, column="ticket_metric_events")
        at = _instant(event.get("time"), source, position, "ticket_metric_events.time")
        grouped[str(event["ticket_id"])].append((at, event))
    for events in grouped.values():
        events.sort(key=lambda timed: timed[0])  # stable: the API's order at equal times
    return grouped


def _instant(value: object, source: str, row: int, column: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        refuse(source, "date", value, row=row, column=column)
    return parsed


def _case(case_id: str, raw: Json, history: History, row: int, source: str, tally: Tally) -> Case:
    created = _instant(raw.get("created_at"), source, row, "created_at")
    metrics = raw.get("metric_set") or raw.get("metrics") or {}
    if not isinstance(metrics, dict):
        refuse(source, "json_shape", None, row=row, column="metric_set")
    audits, events = history.audits.get(case_id), history.metric_events.get(case_id)
    unmeasured: list[str] = []
    if audits is not None:
        replayed = replay_audits(audits, raw, history.roles, created, source, tally)
    elif events is not None:
        replayed = _replayed(events, created)
    else:
        replayed, unmeasured = _from_metrics(metrics, created, source, row)
    for metric in unmeasured:
        tally.unmeasured[metric] += 1
    attributes = _attributes(raw, tally)
    if unmeasured:
        attributes["unmeasured"] = unmeasured
    account = attributes.get("account")
    return Case(
        case_id, created, attributes, replayed, account if isinstance(account, str) else None
    )


def _replayed(events: Sequence[Timed], created: datetime) -> list[Event]:
    out: list[Event] = []
    solved = False
    for when, event in events:
        at = max(when, created)  # the creation's own activate events share its second
        metric, kind, instance = event.get("metric"), event.get("type"), event.get("instance_id")
        if metric == "reply_time" and kind == "fulfill":
            out.append(Event(at, "reply", by="agent", public=True))
        elif metric == "reply_time" and kind == "activate" and instance not in (None, 1):
            out.append(Event(at, "reply", by="customer", public=True))
        elif metric == "requester_wait_time" and kind == "pause":
            out.append(Event(at, "status", status="pending_customer"))
        elif metric == "requester_wait_time" and kind == "fulfill":
            out.append(Event(at, "status", status="resolved"))
            solved = True
        elif metric == "requester_wait_time" and kind == "activate" and (out or solved):
            out.append(Event(at, "status", status="open"))
    return out


def _from_metrics(
    metrics: Json, created: datetime, source: str, row: int
) -> tuple[list[Event], list[str]]:
    """What the ticket's own metrics say, as ``rows.py`` reads a view export."""
    out: list[Event] = []
    unmeasured = ["next_response"]
    reply = _calendar(metrics.get("reply_time_in_minutes"), source, row, "reply_time_in_minutes")
    if reply is not None:
        out.append(Event(created + timedelta(minutes=reply), "reply", by="agent", public=True))
    field = "first_resolution_time_in_minutes"
    first = _calendar(metrics.get(field), source, row, field)
    solved = metrics.get("solved_at")
    resolved = None if first is None else created + timedelta(minutes=first)
    reopened = isinstance(metrics.get("reopens"), int) and metrics["reopens"] != 0
    if resolved is None and solved is not None and not reopened:
        resolved = _instant(solved, source, row, "metric_set.solved_at")
    wait = _calendar(
        metrics.get("agent_wait_time_in_minutes"), source, row, "agent_wait_time_in_minutes"
    )
    if resolved is not None:
        out.append(Event(resolved, "status", status="resolved"))
    if (resolved is None and solved is not None) or wait is None or wait > 0:
        unmeasured.append("resolution")
    return sorted(out, key=lambda e: e.at), unmeasured


def _calendar(value: object, source: str, row: int, column: str) -> float | None:
    """``{"calendar": 12, "business": 5}`` → 12 (elapsed minutes); null → None."""
    if value is None:
        return None
    minutes = value.get("calendar") if isinstance(value, dict) else value
    if minutes is None:
        return None
    if isinstance(minutes, bool) or not isinstance(minutes, int | float) or minutes < 0:
        refuse(source, "minutes", minutes, row=row, column=f"metric_set.{column}.calendar")
    return float(minutes)


def _attributes(raw: Json, tally: Tally) -> dict[str, object]:
    given = raw.get("priority")
    priority = values.priority(given if isinstance(given, str) else None)
    if priority is None:
        tally.defaulted["priority"] += 1
    attributes: dict[str, object] = {"priority": priority or values.DEFAULT_PRIORITY}
    via = raw.get("via")
    channel = via.get("channel") if isinstance(via, dict) else None
    if isinstance(channel, str) and values.channel(channel):
        attributes["channel"] = values.channel(channel)
    for name, keys in (
        ("team", ("group", "group_name", "group_id")),
        ("assignee", ("assignee", "assignee_name", "assignee_id")),
        ("account", ("organization", "organization_name", "organization_id")),
    ):
        found = _named(raw, keys)
        if found is not None:
            attributes[name] = found
    return attributes


def _named(raw: Json, keys: Sequence[str]) -> str | None:
    """The first of ``keys`` with a value: a name, ``{"name": …}``, or an id."""
    for key in keys:
        value = raw.get(key)
        if isinstance(value, dict):
            value = value.get("name")
        if isinstance(value, str) and value.strip():
            return value.strip()
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
    return None
