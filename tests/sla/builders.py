"""Calendars, policies and cases for the SLA tests, written as the JSON documents users write."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from cxgap.sla.calendar import BusinessCalendar
from cxgap.sla.cases import Case
from cxgap.sla.documents import read_case, read_policy_set
from cxgap.sla.evaluation import CaseResult, evaluate_case
from cxgap.sla.policy import PolicySet
from cxgap.sla.reading import Reader, read_calendar

OFFICE = [["09:00", "12:30"], ["13:30", "18:00"]]  # 8 h a day, a lunch break


def office_calendar(timezone: str = "Europe/Paris", **more: Any) -> dict[str, Any]:
    """Monday to Friday 09:00–12:30 and 13:30–18:00, closed at weekends."""
    weekdays = {day: OFFICE for day in ("mon", "tue", "wed", "thu", "fri")}
    return {"timezone": timezone, "hours": {**weekdays, "sat": [], "sun": []}, **more}


def calendar(document: dict[str, Any] | None = None) -> BusinessCalendar:
    return read_calendar(Reader("test"), document or office_calendar())


def policies(*rules: dict[str, Any], cal: dict[str, Any] | None = None) -> PolicySet:
    document = {"calendar": cal or office_calendar(), "policies": list(rules)}
    return read_policy_set(Reader("policy.json"), document)


def case(created_at: str, *events: dict[str, Any], **attributes: Any) -> Case:
    document = {"id": "C1", "created_at": created_at, "events": list(events), **attributes}
    return read_case(Reader("cases.json"), document, "cases[0]", policies_zone())


def policies_zone() -> Any:
    return calendar().zone


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def evaluate(rules: PolicySet, subject: Case, now: str) -> CaseResult:
    return evaluate_case(rules, subject, at(now))


def agent(when: str, public: bool = True) -> dict[str, Any]:
    return {"at": when, "type": "reply", "by": "agent", "public": public}


def customer(when: str) -> dict[str, Any]:
    return {"at": when, "type": "reply", "by": "customer", "public": True}


def status(when: str, value: str) -> dict[str, Any]:
    return {"at": when, "type": "status", "status": value}
