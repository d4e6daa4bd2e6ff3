"""The service menu said in words: support hours, targets and credit rules as sentences.

What the public page and the admin pages print; the targets per tier and priority are read
from the policies themselves (the first policy that fits a case of that tier and priority), so
the menu promises exactly what the clocks measure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from itertools import pairwise
from typing import Any

from cxgap.i18n import translate
from cxgap.sla.calendar import WEEKDAYS, BusinessCalendar, Opening
from cxgap.sla.credits import CreditRule, Tier
from cxgap.sla.policy import Metric, PolicySet


def number(value: float, locale: str) -> str:
    """``99.9`` / ``99,9``; whole numbers without decimals."""
    text = f"{value:,.0f}" if value == int(value) else f"{value:,.2f}".rstrip("0")
    if locale == "fr":
        text = text.replace(",", "\u202f").replace(".", ",")
    return text


def percent(value: float, locale: str) -> str:
    return f"{number(value, locale)}\u00a0%"


def money(amount: float, currency: str, locale: str) -> str:
    text = f"{amount:,.2f}".removesuffix(".00")
    symbol = {"EUR": "€", "USD": "$", "GBP": "£", "CHF": "CHF", "CAD": "$"}.get(currency, currency)
    if locale == "fr":
        return text.replace(",", "\u202f").replace(".", ",") + f"\u00a0{symbol}"
    return f"{symbol}{text}" if len(symbol) == 1 else f"{symbol} {text}"


def duration(minutes: int, locale: str) -> str:
    """Business time as hours and minutes: ``30 min``, ``1 h``, ``2 h 30 min``."""
    hours, rest = divmod(minutes, 60)
    parts = ([f"{number(hours, locale)}\u00a0h"] if hours else []) + (
        [f"{rest}\u00a0min"] if rest or not hours else []
    )
    return " ".join(parts)


def _clock(value: time | None) -> str:
    return "24:00" if value is None else value.strftime("%H:%M")


def _intervals(openings: Sequence[Opening], locale: str) -> str:
    spans = [f"{_clock(o.start)}–{_clock(o.end)}" for o in openings]
    joiner = translate("service_levels.words.and", locale)
    return f" {joiner} ".join([", ".join(spans[:-1]), spans[-1]] if len(spans) > 1 else spans)


def _days(indexes: Sequence[int], locale: str) -> str:
    names = [translate(f"service_levels.day.{WEEKDAYS[i]}", locale) for i in indexes]
    consecutive = all(b - a == 1 for a, b in pairwise(indexes))
    if len(names) > 2 and consecutive:
        return translate("service_levels.words.day_range", locale, first=names[0], last=names[-1])
    joiner = translate("service_levels.words.and", locale)
    return f" {joiner} ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)


def hours_sentences(calendar: BusinessCalendar, locale: str) -> list[str]:
    """Working days grouped by identical hours, the closed days, the zone and the holidays."""
    groups: dict[tuple[Opening, ...], list[int]] = {}
    for index, openings in enumerate(calendar.week):
        groups.setdefault(openings, []).append(index)
    lines = []
    for openings, indexes in groups.items():
        days = _days(indexes, locale)
        if openings:
            hours = _intervals(openings, locale)
            lines.append(translate("service_levels.words.open", locale, days=days, hours=hours))
        else:
            lines.append(translate("service_levels.words.closed", locale, days=days))
    lines = [line[:1].upper() + line[1:] for line in lines]
    lines.append(translate("service_levels.words.zone", locale, zone=str(calendar.zone)))
    if calendar.holiday_country is not None:
        place = calendar.holiday_country + (
            f"-{calendar.holiday_subdivision}" if calendar.holiday_subdivision else ""
        )
        lines.append(translate("service_levels.words.public_holidays", locale, place=place))
    if calendar.company_holidays:
        days_off = ", ".join(d.isoformat() for d in sorted(calendar.company_holidays))
        lines.append(translate("service_levels.words.company_days", locale, days=days_off))
    return lines


def next_holidays(
    calendar: BusinessCalendar, today: date, locale: str, count: int = 10
) -> list[tuple[date, str]]:
    """The next ``count`` days off (public and company), within two years, with their name."""
    found: list[tuple[date, str]] = []
    names = _holiday_names(calendar, today, locale)
    day = today
    while len(found) < count and day < today + timedelta(days=731):
        if calendar.is_holiday(day):
            name = names.get(day) or translate("service_levels.words.company_day", locale)
            found.append((day, name))
        day += timedelta(days=1)
    return found


def _holiday_names(calendar: BusinessCalendar, today: date, locale: str) -> dict[date, str]:
    if calendar.holiday_country is None:
        return {}
    import holidays

    years = [today.year, today.year + 1, today.year + 2]
    subdivision = calendar.holiday_subdivision
    try:
        named = holidays.country_holidays(
            calendar.holiday_country, subdiv=subdivision, years=years, language=locale
        )
    except NotImplementedError:  # a country without names in this language
        named = holidays.country_holidays(calendar.holiday_country, subdiv=subdivision, years=years)
    return {day: str(name) for day, name in named.items()}


@dataclass(frozen=True)
class PriorityTargets:
    priority: str
    targets: dict[Metric, int]  # the metrics the policy promises, in business minutes
    policy: str | None


def tier_targets(
    policies: PolicySet, tier: str, priorities: Sequence[str]
) -> list[PriorityTargets]:
    """For each priority, the targets of the policy a case of ``tier`` would get."""
    rows = []
    for priority in priorities:
        policy = policies.policy_for({"tier": tier, "priority": priority})
        targets = dict(policy.targets) if policy is not None else {}
        rows.append(PriorityTargets(priority, targets, None if policy is None else policy.name))
    return rows


def _rule_sentence(kind: str, rule: CreditRule, locale: str) -> str:
    return translate(
        f"service_levels.words.credit_{kind}",
        locale,
        below=percent(rule.below, locale),
        percent=percent(rule.percent, locale),
    )


def credit_sentences(tier: Tier, locale: str) -> list[str]:
    """One sentence per rule, the smallest credit first, then the cap."""
    lines = [
        _rule_sentence("sla", r, locale) for r in sorted(tier.sla_credits, key=lambda r: r.percent)
    ]
    lines += [
        _rule_sentence("availability", r, locale)
        for r in sorted(tier.availability_credits, key=lambda r: r.percent)
    ]
    if lines:
        lines.append(
            translate("service_levels.words.cap", locale, cap=percent(tier.cap_percent, locale))
        )
    else:
        lines.append(translate("service_levels.words.no_credits", locale))
    return lines


def tier_label(tier: dict[str, Any], locale: str) -> str:
    """The tier's label in ``locale`` (``label_fr``/``label_en``), else its name."""
    label = tier.get(f"label_{locale}") or tier.get("label_en")
    return str(label) if isinstance(label, str) and label.strip() else str(tier.get("name"))


def priority_label(priority: str, locale: str) -> str:
    """A known priority in words (``urgent`` → ``Urgente``); any other as it is written."""
    key = f"service_levels.priority.{priority}"
    label = translate(key, locale)
    return priority if label == key else label
