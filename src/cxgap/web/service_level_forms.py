"""The service-level editing forms read into the document's sections, and its problems put
next to the form fields they concern.

Every form field is named by its JSON path (``tiers[1].sla_credits[0].below``), so that a
problem the engine's reader reports at a path lands next to the field that holds it (or the
nearest one above it: ``calendar.hours.mon[0][1]`` next to ``calendar.hours.mon``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from cxgap.errors import FieldProblem, ValidationError
from cxgap.i18n import translate
from cxgap.sla.calendar import WEEKDAYS
from cxgap.sla.policy import Metric

MATCH_KEYS = ("priority", "tier", "channel", "segment")
EXTRA_ROWS = 2
RULE_ROWS = 3
_INTERVAL = re.compile(r"^\s*(\d{1,2}:\d{2})\s*[-–]\s*(\d{1,2}:\d{2})\s*$")
_INDEX = re.compile(r"^(policies|tiers)\[(\d+)\]")


class FormProblems:
    """Problems found while reading a form, said like the engine's (``sla.reason.<code>``)."""

    def __init__(self) -> None:
        self.problems: list[FieldProblem] = []

    def add(self, path: str, code: str, value: object, **params: object) -> None:
        message = translate(f"sla.reason.{code}", "en", **params)
        params = {"code": code, **params}
        self.problems.append(FieldProblem(path, message, value, code=code, params=params))

    def raise_any(self) -> None:
        if self.problems:
            raise ValidationError(self.problems, summary="the form has problems")


def number(form: Mapping[str, str], path: str, found: FormProblems) -> float | int | None:
    """A number as people type it (``99,9``); empty: None."""
    text = form.get(path, "").strip().replace("\u202f", "").replace(" ", "").replace(",", ".")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        found.add(path, "type", form[path], expected="number")
        return None
    return int(value) if value == int(value) and "." not in text else value


def words(text: str) -> list[str]:
    return [w.strip() for w in re.split(r"[,;\n]", text) if w.strip()]


def _extra(form: Mapping[str, str], path: str) -> dict[str, Any]:
    """Keys the form does not edit, carried in a hidden field so a save keeps them."""
    try:
        kept = json.loads(form.get(path) or "{}")
    except ValueError:
        return {}
    return kept if isinstance(kept, dict) else {}


def read_hours(form: Mapping[str, str], at: str, found: FormProblems) -> dict[str, list[list[str]]]:
    """``at.hours.mon`` … ``at.hours.sun`` (``09:00-12:30, 13:30-18:00``; empty: closed)."""
    hours: dict[str, list[list[str]]] = {}
    for day in WEEKDAYS:
        path = f"{at}.hours.{day}"
        spans = []
        for part in words(form.get(path, "")):
            matched = _INTERVAL.match(part)
            if matched is None:
                found.add(path, "interval_text", part)
            else:
                spans.append([matched[1].zfill(5), matched[2].zfill(5)])
        hours[day] = spans
    return hours


def read_calendar_form(form: Mapping[str, str], found: FormProblems) -> dict[str, Any]:
    hours = read_hours(form, "calendar", found)
    country = form.get("calendar.holiday_country", "").strip().upper() or None
    subdivision = form.get("calendar.holiday_subdivision", "").strip().upper() or None
    return {
        **_extra(form, "calendar.kept"),
        "timezone": form.get("calendar.timezone", "").strip(),
        "hours": hours,
        "holidays": words(form.get("calendar.holidays", "")),
        "holiday_country": country,
        "holiday_subdivision": subdivision if country else None,
    }


def _rows(form: Mapping[str, str], name: str) -> list[int]:
    """The indexes of the rows posted and kept (not ticked for removal), in chosen order."""
    indexes = sorted({int(m[2]) for k in form if (m := _INDEX.match(k)) and m[1] == name})
    kept = [i for i in indexes if not form.get(f"{name}[{i}].remove")]
    kept = [i for i in kept if form.get(f"{name}[{i}].name", "").strip()]  # blank rows skipped

    def position(i: int) -> tuple[float, int]:
        try:
            return float(form.get(f"{name}[{i}].position", "") or i), i
        except ValueError:
            return float(i), i

    return sorted(kept, key=position)


def read_policies_form(
    form: Mapping[str, str], found: FormProblems
) -> tuple[list[dict[str, Any]], list[int]]:
    """The policies in their new order and, for each, the form row it came from."""
    rows = _rows(form, "policies")
    policies = []
    for i in rows:
        at = f"policies[{i}]"
        match = _extra(form, f"{at}.match_kept")
        for key in MATCH_KEYS:
            values = words(form.get(f"{at}.match.{key}", ""))
            if values:
                match[key] = values[0] if len(values) == 1 else values
        targets = {m.value: number(form, f"{at}.targets.{m.value}", found) for m in Metric}
        pauses = words(form.get(f"{at}.pause_statuses", ""))
        policies.append(
            {
                **_extra(form, f"{at}.kept"),
                "name": form.get(f"{at}.name", "").strip(),
                "match": match,
                "targets": {k: v for k, v in targets.items() if v is not None},
                "pause_statuses": pauses,
            }
        )
    return policies, rows


def _rules(form: Mapping[str, str], at: str, found: FormProblems) -> list[dict[str, Any]]:
    rules = []
    for j in range(RULE_ROWS + 5):
        below = number(form, f"{at}[{j}].below", found)
        percent = number(form, f"{at}[{j}].percent", found)
        if below is None and percent is None:
            continue
        rules.append({"below": below, "percent": percent})
    return rules


def read_tiers_form(
    form: Mapping[str, str], found: FormProblems
) -> tuple[list[dict[str, Any]], list[int]]:
    rows = _rows(form, "tiers")
    tiers = []
    for i in rows:
        at = f"tiers[{i}]"
        tier: dict[str, Any] = {**_extra(form, f"{at}.kept"), "name": form[f"{at}.name"].strip()}
        for key in ("label_en", "label_fr", "currency"):
            tier[key] = form.get(f"{at}.{key}", "").strip()
        tier["currency"] = tier["currency"].upper() or "EUR"
        for key in ("fee", "availability_target", "cap_percent"):
            tier[key] = number(form, f"{at}.{key}", found)
        tier["sla_credits"] = _rules(form, f"{at}.sla_credits", found)
        tier["availability_credits"] = _rules(form, f"{at}.availability_credits", found)
        tier.pop("calendar", None)
        calendar = _tier_calendar(form, at, found)
        if calendar is not None:
            tier["calendar"] = calendar
        tiers.append(tier)
    return tiers, rows


# A tier open on holidays says so over the workspace calendar's holidays.
_NO_HOLIDAYS: dict[str, Any] = {"holidays": [], "holiday_country": None}
_HOLIDAY_KEYS = {"holidays", "holiday_country", "holiday_subdivision"}


def _tier_calendar(form: Mapping[str, str], at: str, found: FormProblems) -> dict[str, Any] | None:
    """The tier's own support hours; None (the workspace calendar) when no day has hours."""
    if not any(form.get(f"{at}.calendar.hours.{day}", "").strip() for day in WEEKDAYS):
        return None
    hours = read_hours(form, f"{at}.calendar", found)
    calendar = {**_extra(form, f"{at}.calendar_kept"), "hours": hours}
    if form.get(f"{at}.calendar.open_on_holidays"):
        calendar = {k: v for k, v in calendar.items() if k not in _HOLIDAY_KEYS} | _NO_HOLIDAYS
    return calendar


def renumbered(problems: list[FieldProblem], name: str, rows: list[int]) -> list[FieldProblem]:
    """Problems at ``policies[k]`` of the new order moved to the form row ``k`` came from."""
    moved = []
    for problem in problems:
        matched = _INDEX.match(problem.field)
        if matched and matched[1] == name and int(matched[2]) < len(rows):
            field = f"{name}[{rows[int(matched[2])]}]{problem.field[matched.end() :]}"
            problem = FieldProblem(
                field,
                problem.message,
                problem.value,
                problem.row,
                problem.source,
                problem.code,
                problem.params,
            )
        moved.append(problem)
    return moved


def problem_text(problem: FieldProblem, locale: str) -> str:
    """The reason in the reader's language, with the refused value."""
    params = dict(problem.params)
    params.pop("code", None)
    path = params.pop("path", None)
    if "expected" in params:
        params["expected"] = translate(f"sla.expected.{params['expected']}", locale)
    key = f"sla.reason.{problem.code}"
    reason = translate(key, locale, **params) if problem.code else problem.message
    if path is not None:
        reason = f"{path}: {reason}"
    if problem.value is None or problem.value == "":
        return reason
    return translate(
        "service_levels.form.refused_value", locale, reason=reason, value=problem.value
    )


def errors_by_field(
    problems: list[FieldProblem], fields: set[str], locale: str
) -> dict[str, list[str]]:
    """Each problem next to the longest form field its path starts with (else ``_form``)."""
    errors: dict[str, list[str]] = {}
    for problem in problems:
        path = problem.field
        target = next(
            (
                f
                for f in sorted(fields, key=len, reverse=True)
                if path == f or path.startswith((f + "[", f + "."))
            ),
            "_form",
        )
        text = problem_text(problem, locale)
        if target == "_form":
            text = f"{path}: {text}"
        errors.setdefault(target, []).append(text)
    return errors


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def calendar_values(calendar: Mapping[str, Any]) -> dict[str, str]:
    """The calendar as the form shows it."""
    edited = {"timezone", "hours", "holidays", "holiday_country", "holiday_subdivision"}
    values = {
        "calendar.timezone": _text(calendar.get("timezone")),
        "calendar.holiday_country": _text(calendar.get("holiday_country")),
        "calendar.holiday_subdivision": _text(calendar.get("holiday_subdivision")),
        "calendar.holidays": "\n".join(str(d) for d in calendar.get("holidays") or []),
        "calendar.kept": json.dumps({k: v for k, v in calendar.items() if k not in edited}),
    }
    hours = calendar.get("hours") or {}
    for day in WEEKDAYS:
        spans = hours.get(day) or []
        values[f"calendar.hours.{day}"] = ", ".join(f"{a}-{b}" for a, b in spans)
    return values


def policies_values(document: Mapping[str, Any]) -> dict[str, str]:
    values = {"priorities": _text(document.get("priorities") or [])}
    for i, policy in enumerate(document.get("policies") or []):
        at = f"policies[{i}]"
        match = dict(policy.get("match") or {})
        values[f"{at}.name"] = _text(policy.get("name"))
        values[f"{at}.position"] = str(i + 1)
        for key in MATCH_KEYS:
            values[f"{at}.match.{key}"] = _text(match.pop(key, None))
        values[f"{at}.match_kept"] = json.dumps(match)
        for metric in Metric:
            values[f"{at}.targets.{metric.value}"] = _text(
                (policy.get("targets") or {}).get(metric.value)
            )
        values[f"{at}.pause_statuses"] = _text(policy.get("pause_statuses") or ["pending_customer"])
        kept = {
            k: v
            for k, v in policy.items()
            if k not in {"name", "match", "targets", "pause_statuses"}
        }
        values[f"{at}.kept"] = json.dumps(kept)
    return values


def tiers_values(document: Mapping[str, Any]) -> dict[str, str]:
    values: dict[str, str] = {}
    edited = {
        "name",
        "label_en",
        "label_fr",
        "currency",
        "fee",
        "availability_target",
        "cap_percent",
    }
    edited |= {"sla_credits", "availability_credits", "accounts", "calendar"}
    for i, tier in enumerate(document.get("tiers") or []):
        at = f"tiers[{i}]"
        for key in edited - {"sla_credits", "availability_credits", "accounts", "calendar"}:
            values[f"{at}.{key}"] = _text(tier.get(key))
        values[f"{at}.position"] = str(i + 1)
        for rules in ("sla_credits", "availability_credits"):
            for j, rule in enumerate(tier.get(rules) or []):
                values[f"{at}.{rules}[{j}].below"] = _text(rule.get("below"))
                values[f"{at}.{rules}[{j}].percent"] = _text(rule.get("percent"))
        values[f"{at}.kept"] = json.dumps({k: v for k, v in tier.items() if k not in edited})
        values |= _tier_calendar_values(at, tier.get("calendar"))
    return values


def _tier_calendar_values(at: str, calendar: object) -> dict[str, str]:
    """The tier's own support hours as its form shows them (all empty: none of its own)."""
    if not isinstance(calendar, dict):
        return {f"{at}.calendar.hours.{day}": "" for day in WEEKDAYS}
    hours = calendar.get("hours") or {}
    values = {
        f"{at}.calendar.hours.{day}": ", ".join(f"{a}-{b}" for a, b in hours.get(day) or [])
        for day in WEEKDAYS
    }
    open_on_holidays = all(k in calendar and not calendar[k] for k in _NO_HOLIDAYS)
    dropped = {"hours"} | (_HOLIDAY_KEYS if open_on_holidays else set())
    values[f"{at}.calendar.open_on_holidays"] = "on" if open_on_holidays else ""
    values[f"{at}.calendar_kept"] = json.dumps(
        {k: v for k, v in calendar.items() if k not in dropped}
    )
    return values


def row_indexes(values: Mapping[str, str], name: str) -> list[int]:
    """The rows to show: those in ``values`` and blank ones after them to add more."""
    found = sorted({int(m[2]) for k in values if (m := _INDEX.match(k)) and m[1] == name})
    start = found[-1] + 1 if found else 0
    extra = EXTRA_ROWS if name == "policies" else 1
    return found + list(range(start, start + extra))
