"""Reading the SLA JSON documents (``docs/sla.md``) into the engine's values.

Every refusal names the file, the JSON path (``cases[3].events[1].at``) and the value, with a
stable code whose message the catalogues say in French and English (``sla.reason.<code>``).
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import NoReturn
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cxgap.errors import FieldProblem, ValidationError
from cxgap.i18n import translate
from cxgap.sla.calendar import WEEKDAYS, BusinessCalendar, Opening, supported_country

# The largest target accepted: a year of round-the-clock minutes.
MAX_MINUTES = 366 * 24 * 60


class Reader:
    """Typed access to one parsed JSON document; ``fail`` refuses with the path and value."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, path: str, code: str, value: object, **params: object) -> NoReturn:
        message = translate(f"sla.reason.{code}", "en", **params)
        problem = FieldProblem(
            path, message, value, source=self.source, code=code, params={"code": code, **params}
        )
        raise ValidationError([problem], summary=f"{self.source} cannot be read")

    def mapping(self, value: object, path: str) -> dict[str, object]:
        if not isinstance(value, dict):
            self.fail(path, "type", value, expected="object")
        return value

    def items(self, value: object, path: str) -> list[object]:
        if not isinstance(value, list):
            self.fail(path, "type", value, expected="array")
        return value

    def required(self, document: dict[str, object], key: str, path: str) -> object:
        if key not in document or document[key] is None:
            self.fail(f"{path}.{key}" if path else key, "required", None)
        return document[key]

    def text(self, value: object, path: str) -> str:
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)  # an id written as a number
        if not isinstance(value, str) or not value.strip():
            self.fail(path, "type", value, expected="string")
        return value

    def number(self, value: object, path: str) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(path, "type", value, expected="number")
        return float(value)

    def flag(self, value: object, path: str) -> bool:
        if not isinstance(value, bool):
            self.fail(path, "type", value, expected="true/false")
        return value

    def minutes(self, value: object, path: str) -> int:
        number = self.number(value, path)
        if number != int(number) or not 0 <= number <= MAX_MINUTES:
            self.fail(path, "minutes", value, limit=MAX_MINUTES)
        return int(number)

    def instant(self, value: object, path: str, zone: ZoneInfo) -> datetime:
        """An ISO 8601 date and time; one without an offset is read in the calendar's zone."""
        try:
            parsed = datetime.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            parsed = None
        if parsed is None:
            self.fail(path, "instant", value)
        return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=zone)

    def day(self, value: object, path: str) -> date:
        try:
            if isinstance(value, str) and len(value) == 10:
                return date.fromisoformat(value)
        except ValueError:
            pass
        self.fail(path, "date", value)


def read_calendar(reader: Reader, value: object, path: str = "calendar") -> BusinessCalendar:
    document = reader.mapping(value, path)
    zone = read_zone(reader, reader.required(document, "timezone", path), f"{path}.timezone")
    hours = reader.mapping(reader.required(document, "hours", path), f"{path}.hours")
    for day in hours:
        if day not in WEEKDAYS:
            reader.fail(f"{path}.hours.{day}", "weekday", day, choices=", ".join(WEEKDAYS))
    week = tuple(
        read_openings(reader, hours.get(day) or [], f"{path}.hours.{day}") for day in WEEKDAYS
    )
    if not any(week):
        reader.fail(f"{path}.hours", "no_hours", None)
    holidays = reader.items(document.get("holidays") or [], f"{path}.holidays")
    company = frozenset(reader.day(d, f"{path}.holidays[{i}]") for i, d in enumerate(holidays))
    country, subdivision = read_country(reader, document, path)
    return BusinessCalendar(zone, week, company, country, subdivision)


def read_zone(reader: Reader, value: object, path: str) -> ZoneInfo:
    name = reader.text(value, path)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        reader.fail(path, "timezone", value)


def read_country(
    reader: Reader, document: dict[str, object], path: str
) -> tuple[str | None, str | None]:
    raw, raw_subdivision = document.get("holiday_country"), document.get("holiday_subdivision")
    if raw is None:
        return None, None
    country = reader.text(raw, f"{path}.holiday_country").upper()
    subdivision = None
    if raw_subdivision is not None:
        subdivision = reader.text(raw_subdivision, f"{path}.holiday_subdivision")
    if not supported_country(country, subdivision):
        where = "holiday_country" if subdivision is None else "holiday_subdivision"
        reader.fail(f"{path}.{where}", "country", subdivision or raw)
    return country, subdivision


def read_openings(reader: Reader, value: object, path: str) -> tuple[Opening, ...]:
    openings: list[Opening] = []
    for i, pair in enumerate(reader.items(value, path)):
        where = f"{path}[{i}]"
        if not isinstance(pair, list) or len(pair) != 2:
            reader.fail(where, "interval", pair)
        start = read_time(reader, pair[0], f"{where}[0]")
        # "24:00" closes at midnight: kept as None, after every time of the day
        end = None if pair[1] == "24:00" else read_time(reader, pair[1], f"{where}[1]")
        previous_end = openings[-1].end if openings else time(0)
        if (end is not None and end <= start) or previous_end is None or start < previous_end:
            reader.fail(where, "interval_order", pair)
        openings.append(Opening(start, end))
    return tuple(openings)


def read_time(reader: Reader, value: object, path: str) -> time:
    """``HH:MM`` (or ``HH:MM:SS``), local wall time."""
    try:
        if isinstance(value, str) and len(value) in (5, 8):
            return time.fromisoformat(value)
    except ValueError:
        pass
    reader.fail(path, "time", value)
