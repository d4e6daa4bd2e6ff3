"""The four SLA documents: policies, cases, service menu and incidents (``docs/sla.md``)."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from cxgap.sla.calendar import BusinessCalendar
from cxgap.sla.cases import Case, Event
from cxgap.sla.credits import CreditRule, Incident, Menu, Tier
from cxgap.sla.policy import DEFAULT_PAUSE_STATUSES, Metric, Policy, PolicySet
from cxgap.sla.reading import Reader, read_calendar

EVENT_TYPES: tuple[str, ...] = ("reply", "note", "status", "update")
# Keys of a case that are not attributes a policy can match on.
CASE_KEYS = frozenset({"id", "created_at", "events"})


def read_policy_set(reader: Reader, value: object) -> PolicySet:
    """``{"calendar": {…}, "policies": [{…}]}`` (other keys are left for other readers)."""
    document = reader.mapping(value, "")
    calendar = read_calendar(reader, reader.required(document, "calendar", ""))
    raw = reader.items(reader.required(document, "policies", ""), "policies")
    return PolicySet(
        calendar, [read_policy(reader, p, f"policies[{i}]") for i, p in enumerate(raw)]
    )


def read_policy(reader: Reader, value: object, path: str) -> Policy:
    document = reader.mapping(value, path)
    name = reader.text(reader.required(document, "name", path), f"{path}.name")
    match = reader.mapping(document.get("match") or {}, f"{path}.match")
    raw_targets = reader.mapping(reader.required(document, "targets", path), f"{path}.targets")
    targets: dict[Metric, int] = {}
    for key, minutes in raw_targets.items():
        where = f"{path}.targets.{key}"
        if key not in set(Metric):
            reader.fail(where, "metric", key, choices=", ".join(Metric))
        if minutes is not None:  # null: no promise on this metric
            targets[Metric(key)] = reader.minutes(minutes, where)
    pauses = DEFAULT_PAUSE_STATUSES
    if document.get("pause_statuses") is not None:
        raw = reader.items(document["pause_statuses"], f"{path}.pause_statuses")
        where = f"{path}.pause_statuses"
        pauses = frozenset(reader.text(s, f"{where}[{i}]") for i, s in enumerate(raw))
    return Policy(name, targets, match, pauses)


def read_cases(reader: Reader, value: object, zone: ZoneInfo) -> list[Case]:
    """A list of cases, or ``{"cases": […]}``; ids must be unique."""
    if isinstance(value, dict) and "cases" in value:
        value = value["cases"]
    cases: list[Case] = []
    seen: set[str] = set()
    for i, raw in enumerate(reader.items(value, "cases")):
        case = read_case(reader, raw, f"cases[{i}]", zone)
        if case.id in seen:
            reader.fail(f"cases[{i}].id", "duplicate_id", case.id)
        seen.add(case.id)
        cases.append(case)
    return cases


def read_case(reader: Reader, value: object, path: str, zone: ZoneInfo) -> Case:
    document = reader.mapping(value, path)
    case_id = reader.text(reader.required(document, "id", path), f"{path}.id")
    created = reader.instant(
        reader.required(document, "created_at", path), f"{path}.created_at", zone
    )
    raw_events = reader.items(document.get("events") or [], f"{path}.events")
    events = [
        read_event(reader, e, f"{path}.events[{j}]", zone, created)
        for j, e in enumerate(raw_events)
    ]
    account = document.get("account")
    attributes = {k: v for k, v in document.items() if k not in CASE_KEYS}
    return Case(
        case_id,
        created,
        attributes,
        sorted(events, key=lambda e: e.at),  # stable: simultaneous events keep their order
        None if account is None else reader.text(account, f"{path}.account"),
    )


def read_event(
    reader: Reader, value: object, path: str, zone: ZoneInfo, created: datetime
) -> Event:
    document = reader.mapping(value, path)
    at = reader.instant(reader.required(document, "at", path), f"{path}.at", zone)
    if at < created:
        reader.fail(f"{path}.at", "before_created", document["at"])
    kind = reader.text(reader.required(document, "type", path), f"{path}.type")
    if kind not in EVENT_TYPES:
        reader.fail(f"{path}.type", "choice", kind, choices=", ".join(EVENT_TYPES))
    if kind == "status":
        status = reader.text(reader.required(document, "status", path), f"{path}.status")
        return Event(at, kind, status=status)
    if kind == "update":
        fields = reader.mapping(reader.required(document, "fields", path), f"{path}.fields")
        return Event(at, kind, fields=fields)
    by = reader.text(reader.required(document, "by", path), f"{path}.by")
    public = reader.flag(document.get("public", kind == "reply"), f"{path}.public")
    auto = reader.flag(document.get("auto", by == "system"), f"{path}.auto")
    return Event(at, "reply" if kind == "reply" else "note", by=by, public=public, auto=auto)


def read_menu(reader: Reader, value: object) -> Menu:
    """The policy set plus ``"tiers": […]``; an account may belong to one tier only. A tier's
    own support hours (its ``calendar``) join the policy set's ``tier_calendars``."""
    policies = read_policy_set(reader, value)
    document = reader.mapping(value, "")
    raw = reader.items(reader.required(document, "tiers", ""), "tiers")
    base = reader.mapping(document["calendar"], "calendar")
    tiers = [read_tier(reader, t, f"tiers[{i}]", base) for i, t in enumerate(raw)]
    seen: set[str] = set()
    for i, tier in enumerate(tiers):
        for j, account in enumerate(tier.accounts):
            if account in seen:
                reader.fail(f"tiers[{i}].accounts[{j}]", "duplicate_account", account)
            seen.add(account)
    own = {t.name: t.calendar for t in tiers if t.calendar is not None}
    return Menu(dataclasses.replace(policies, tier_calendars=own), tiers)


def read_tier_calendar(
    reader: Reader, value: object, path: str, base: dict[str, object]
) -> BusinessCalendar:
    """A tier's support hours: the keys it gives (``hours`` at least) over the menu's
    calendar, so a tier names its hours and keeps the workspace's zone and holidays unless
    it says otherwise (``"holiday_country": null, "holidays": []``: open on holidays)."""
    document = reader.mapping(value, path)
    reader.required(document, "hours", path)
    return read_calendar(reader, {**base, **document}, path)


def read_tier(
    reader: Reader, value: object, path: str, base: dict[str, object] | None = None
) -> Tier:
    document = reader.mapping(value, path)
    raw_calendar = document.get("calendar")
    calendar = None
    if raw_calendar is not None:
        calendar = read_tier_calendar(reader, raw_calendar, f"{path}.calendar", base or {})
    name = reader.text(reader.required(document, "name", path), f"{path}.name")
    fee = reader.number(reader.required(document, "fee", path), f"{path}.fee")
    if fee < 0:
        reader.fail(f"{path}.fee", "negative", document["fee"])
    raw_accounts = reader.items(document.get("accounts") or [], f"{path}.accounts")
    accounts = [reader.text(a, f"{path}.accounts[{i}]") for i, a in enumerate(raw_accounts)]
    target = document.get("availability_target")
    cap = document.get("cap_percent")
    return Tier(
        name,
        Decimal(str(document["fee"])),
        accounts,
        read_rules(reader, document.get("sla_credits"), f"{path}.sla_credits"),
        None if target is None else reader.number(target, f"{path}.availability_target"),
        read_rules(reader, document.get("availability_credits"), f"{path}.availability_credits"),
        100.0 if cap is None else reader.number(cap, f"{path}.cap_percent"),
        calendar,
    )


def read_rules(reader: Reader, value: object, path: str) -> list[CreditRule]:
    rules = []
    for i, raw in enumerate(reader.items(value or [], path)):
        rule = reader.mapping(raw, f"{path}[{i}]")
        below = reader.number(reader.required(rule, "below", f"{path}[{i}]"), f"{path}[{i}].below")
        percent = reader.required(rule, "percent", f"{path}[{i}]")
        rules.append(CreditRule(below, reader.number(percent, f"{path}[{i}].percent")))
    return rules


def read_incidents(reader: Reader, value: object, zone: ZoneInfo) -> list[Incident]:
    """A list of incidents, or ``{"incidents": […]}``."""
    if isinstance(value, dict) and "incidents" in value:
        value = value["incidents"]
    incidents = []
    for i, raw in enumerate(reader.items(value, "incidents")):
        path = f"incidents[{i}]"
        document = reader.mapping(raw, path)
        start = reader.instant(reader.required(document, "start", path), f"{path}.start", zone)
        end = reader.instant(reader.required(document, "end", path), f"{path}.end", zone)
        if end <= start:
            reader.fail(f"{path}.end", "end_before_start", document["end"])
        incidents.append(Incident(start, end, read_accounts(reader, document, path)))
    return incidents


def read_accounts(reader: Reader, document: dict[str, object], path: str) -> frozenset[str] | None:
    raw = reader.required(document, "accounts", path)
    if raw == "all":
        return None
    items = reader.items(raw, f"{path}.accounts")
    return frozenset(reader.text(a, f"{path}.accounts[{j}]") for j, a in enumerate(items))


def read_month(reader: Reader, value: str) -> date:
    """``YYYY-MM``."""
    try:
        if len(value) == 7:
            return date.fromisoformat(f"{value}-01")
    except ValueError:
        pass
    reader.fail("--month", "month", value)
