"""Times promised in a reply, French and English, turned into the latest instant they allow.

"within 48 hours" / "sous 48 h" → now + 48 h; "within 2 business days" / "sous 2 jours
ouvrés" → the end of the second working day of the calendar; "today", "tonight",
"aujourd'hui", "ce soir", "dans la journée" → the end of today; "tomorrow" / "demain" → the
end of tomorrow; "by Friday" / "d'ici vendredi" → the end of the coming Friday; "by 15
December", "le 15 décembre", "le 15/12", "2026-12-15" → the end of that day. A range
("24 to 48 hours", "24/48 h") promises its upper end.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from cxgap.sla.calendar import BusinessCalendar, Opening
from cxgap.tone.phrases import A

NUMBER_WORDS = {
    **dict.fromkeys(("a", "an", "one", "un", "une"), 1),
    **dict.fromkeys(("two", "deux", "couple"), 2),
    **dict.fromkeys(("three", "trois", "few", "quelques"), 3),
    **{"four": 4, "quatre": 4, "five": 5, "cinq": 5, "six": 6, "seven": 7, "sept": 7},
    **{"eight": 8, "huit": 8, "ten": 10, "dix": 10, "twelve": 12, "douze": 12, "fifteen": 15},
    **{"quinze": 15, "twenty-four": 24, "vingt-quatre": 24, "forty-eight": 48},
    **{"quarante-huit": 48, "seventy-two": 72, "soixante-douze": 72},
}
_NUMBER = r"\d{1,3}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_UNITS = {
    "business_hour": r"(?:business|working|office)\s+hours?|(?:heures?|h)\s+ouvr[ée]e?s",
    "business_day": r"(?:business|working)\s+days?|jours?\s+ouvr(?:[ée]s|ables)",
    "minute": r"min(?:ute)?s?",
    "hour": r"h(?:ours?|rs?|eures?)?",
    "day": r"days?|jours?|j",
    "week": r"weeks?|semaines?",
    "month": r"months?|mois",
}
_UNIT = "|".join(f"(?P<{name}>{pattern})" for name, pattern in _UNITS.items())
_LEAD = (
    r"within|in|under|in\s+the\s+next|over\s+the\s+next|no\s+later\s+than|"
    rf"sous|dans|en|d{A}ici|en\s+moins\s+de|dans\s+les|sous\s+un\s+d[ée]lai\s+de|"
    r"au\s+plus\s+tard\s+(?:dans|sous)|maximum|max\.?"
)
DURATION = re.compile(
    rf"\b(?:{_LEAD})\s+(?:(?:the\s+)?next\s+|(?:a|an)\s+(?=few|couple))?"
    rf"(?:(?P<low>{_NUMBER})\s*(?:-|/|to|à|ou|or)\s*)?(?P<n>{_NUMBER})(?:\s+of)?\s*(?:{_UNIT})\b",
    re.IGNORECASE,
)
WEEKDAYS = {
    **{"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4},
    **{"saturday": 5, "sunday": 6, "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3},
    **{"vendredi": 4, "samedi": 5, "dimanche": 6},
}
MONTHS = {
    **dict.fromkeys(("january", "jan", "janvier", "janv"), 1),
    **dict.fromkeys(("february", "feb", "février", "fevrier", "févr"), 2),
    **dict.fromkeys(("march", "mar", "mars"), 3),
    **dict.fromkeys(("april", "apr", "avril", "avr"), 4),
    **dict.fromkeys(("may", "mai"), 5),
    **dict.fromkeys(("june", "jun", "juin"), 6),
    **dict.fromkeys(("july", "jul", "juillet", "juil"), 7),
    **dict.fromkeys(("august", "aug", "août", "aout"), 8),
    **dict.fromkeys(("september", "sept", "sep", "septembre"), 9),
    **dict.fromkeys(("october", "oct", "octobre"), 10),
    **dict.fromkeys(("november", "nov", "novembre"), 11),
    **dict.fromkeys(("december", "dec", "décembre", "decembre", "déc"), 12),
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY = "|".join(WEEKDAYS)
_BY = r"by|before|on|no\s+later\s+than|d" + A + r"ici|avant|pour|le|d[èe]s|au\s+plus\s+tard"
DAY_WORDS = re.compile(
    r"\b(?P<today>today|tonight|this\s+evening|(?:by\s+)?(?:the\s+)?end\s+of\s+(?:the\s+)?day|"
    rf"aujourd{A}hui|ce\s+soir|dans\s+la\s+journ[ée]e|(?:en|d{A}ici\s+la)\s+fin\s+de\s+journ[ée]e|"
    r"within\s+the\s+day|dans\s+l" + A + r"heure|within\s+the\s+hour)"
    r"|(?P<tomorrow>tomorrow|demain)"
    rf"|(?P<after>the\s+day\s+after\s+tomorrow|apr[èe]s-demain)"
    rf"|\b(?:{_BY})\s+(?:(?:this|next|ce|prochain)\s+)?(?P<weekday>{_DAY})\b",
    re.IGNORECASE,
)
DATES = re.compile(
    rf"\b(?:(?P<by>{_BY})\s+)?(?:(?:the\s+)?(?P<d1>\d{{1,2}})(?:st|nd|rd|th|er)?\s+(?:of\s+)?"
    rf"(?P<m1>{_MONTH})\.?|(?P<m2>{_MONTH})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?"
    r"|(?P<d3>\d{1,2})/(?P<m3>\d{1,2})(?:/(?P<y3>\d{2,4}))?"
    r"|(?P<iso>\d{4}-\d{2}-\d{2}))\b",
    re.IGNORECASE,
)


# A date this close behind today is a reference to the past ("votre courrier du 28
# novembre"); further behind, a month name means next year ("by 15 January" in December).
PAST_REFERENCE = timedelta(days=62)


@dataclass(frozen=True)
class Promise:
    """A time promised in the text, and the latest instant it allows."""

    start: int
    end: int
    text: str
    deadline: datetime


def office_calendar(zone: ZoneInfo) -> BusinessCalendar:
    """Monday to Friday, 09:00–18:00 in ``zone``: business time when no calendar is given."""
    day = (Opening(time(9), time(18)),)
    return BusinessCalendar(zone=zone, week=(day,) * 5 + ((), ()))


def promises(text: str, now: datetime, calendar: BusinessCalendar) -> Iterator[Promise]:
    """Every promised time of ``text``, from ``now`` (aware), in the calendar's zone."""
    taken: list[tuple[int, int]] = []
    for pattern, reader in ((DURATION, _duration), (DAY_WORDS, _day_word), (DATES, _date)):
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            deadline = reader(match, now, calendar)
            if deadline is not None:
                taken.append((match.start(), match.end()))
                yield Promise(match.start(), match.end(), match.group(0), deadline)


def _count(word: str) -> int:
    lowered = word.lower()
    return int(lowered) if lowered.isdigit() else NUMBER_WORDS[lowered]


def _duration(match: re.Match[str], now: datetime, calendar: BusinessCalendar) -> datetime | None:
    n = _count(match["n"])
    if match["minute"]:
        return now + timedelta(minutes=n)
    if match["business_hour"]:
        return calendar.add_business_time(now, timedelta(hours=n))
    if match["hour"]:
        return now + timedelta(hours=n)
    if match["business_day"]:
        return _working_day(calendar, now, n)
    if match["day"]:
        return _end_of(calendar, calendar.local(now).date() + timedelta(days=n))
    if match["week"]:
        return _end_of(calendar, calendar.local(now).date() + timedelta(weeks=n))
    return _end_of(calendar, _add_months(calendar.local(now).date(), n))


def _day_word(match: re.Match[str], now: datetime, calendar: BusinessCalendar) -> datetime:
    today = calendar.local(now).date()
    if match["today"]:
        if "heure" in match["today"].lower() or "hour" in match["today"].lower():
            return now + timedelta(hours=1)
        return _end_of(calendar, today)
    if match["tomorrow"]:
        return _end_of(calendar, today + timedelta(days=1))
    if match["after"]:
        return _end_of(calendar, today + timedelta(days=2))
    ahead = (WEEKDAYS[match["weekday"].lower()] - today.weekday()) % 7
    return _end_of(calendar, today + timedelta(days=ahead))


def _date(match: re.Match[str], now: datetime, calendar: BusinessCalendar) -> datetime | None:
    today = calendar.local(now).date()
    try:
        if match["iso"]:
            found = date.fromisoformat(match["iso"])
            return None if found < today else _end_of(calendar, found)
        if not match["by"]:
            return None  # "votre courrier du 28 novembre", "12/12": a reference, not a promise
        day, month, year = _date_parts(match)
        found = date(year or today.year, month, day)
    except ValueError:
        return None  # "31/02", "13/13": not a date, not a promise
    if found < today:
        if year is not None or today - found <= PAST_REFERENCE:
            return None  # "reçu le 28 novembre": the past is not promised
        found = found.replace(year=today.year + 1)  # "by 15 January" said in December
    return _end_of(calendar, found)


def _date_parts(match: re.Match[str]) -> tuple[int, int, int | None]:
    if match["d1"]:
        return int(match["d1"]), MONTHS[match["m1"].lower()], None
    if match["d2"]:
        return int(match["d2"]), MONTHS[match["m2"].lower()], None
    year = match["y3"]
    full = None if year is None else int(year) + (2000 if len(year) == 2 else 0)
    return int(match["d3"]), int(match["m3"]), full


def _working_day(calendar: BusinessCalendar, now: datetime, n: int) -> datetime:
    """The end of the ``n``-th working day after today (today, if open, is day zero)."""
    day = calendar.local(now).date()
    for _ in range(366):
        day += timedelta(days=1)
        if calendar.openings(day):
            n -= 1
            if n <= 0:
                return _end_of(calendar, day)
    return _end_of(calendar, day)


def _end_of(calendar: BusinessCalendar, day: date) -> datetime:
    """The end of ``day`` as a customer reads a promise of it: its last closing time on a
    working day ("by Monday" is kept at Monday 18:00), else 23:59 in the calendar's zone."""
    openings = calendar.openings(day)
    if openings:
        return openings[-1][1].astimezone(calendar.zone)
    return datetime.combine(day, time(23, 59), tzinfo=calendar.zone)


def _add_months(day: date, months: int) -> date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    return date(year, month, 28)
