"""The cells of a ticket file: instants (date order decided by the column's evidence),
minutes, and the words help desks use for statuses, priorities and channels."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta, tzinfo
from functools import lru_cache

from cxgap.errors import DateError, DateOrderError
from cxgap.ingest.choices import name_words
from cxgap.ingest.dateorder import DateEvidence
from cxgap.ingest.dates import parse_datetime
from cxgap.tickets.problems import refuse

STATUSES: Mapping[str, str] = {
    "new": "new", "nouveau": "new", "open": "open", "ouvert": "open",
    "pending": "pending_customer", "pending customer": "pending_customer",
    "pending_customer": "pending_customer", "en attente": "pending_customer",
    "waiting on customer": "pending_customer", "waiting on third party": "on_hold",
    "hold": "on_hold", "on hold": "on_hold", "on-hold": "on_hold", "en pause": "on_hold",
    "solved": "resolved", "resolved": "resolved", "resolu": "resolved",
    "closed": "closed", "clos": "closed", "ferme": "closed",
}  # fmt: skip
UNSOLVED = frozenset({"new", "open", "pending_customer", "on_hold"})
PRIORITIES: Mapping[str, str] = {
    "low": "low", "basse": "low", "faible": "low", "normal": "normal", "normale": "normal",
    "medium": "medium", "moyenne": "medium",
    "high": "high", "haute": "high", "elevee": "high", "urgent": "urgent", "urgente": "urgent",
}  # fmt: skip
DEFAULT_PRIORITY = "normal"
CHANNELS: Mapping[str, str] = {
    "mail": "email", "email": "email", "e mail": "email", "courriel": "email",
    "web": "web", "web form": "web", "web widget": "web", "formulaire web": "web",
    "chat": "chat", "messaging": "chat", "native messaging": "chat", "messagerie": "chat",
    "voice": "phone", "phone": "phone", "phone call incoming": "phone",
    "phone call outgoing": "phone", "telephone": "phone", "api": "api",
}  # fmt: skip


class _Naive(tzinfo):
    """Marks an instant written without an offset, read while no time zone was given."""

    def utcoffset(self, dt: datetime | None) -> timedelta:
        return timedelta(0)

    def dst(self, dt: datetime | None) -> timedelta:
        return timedelta(0)

    def tzname(self, dt: datetime | None) -> str:
        return "naive"


NAIVE = _Naive()


@lru_cache(maxsize=4096)  # a column holds few distinct statuses, priorities, channels
def words(value: str) -> str:
    return " ".join(name_words(value))


def date_formats(
    values: Iterable[str], *, source: str, column: str, order: str | None
) -> tuple[str, ...]:
    """The formats of a column's dates: ISO needs none; ``05/03/2024`` is read day first or
    month first as the column's other values show (a day over 12), or as ``order`` says."""
    evidence = DateEvidence()
    for value in values:
        evidence.add(value)
    try:
        return evidence.formats(order)
    except DateOrderError as exc:
        code = "date_order" if exc.code == "ambiguous_date" else "date_mixed"
        refuse(source, code, None, column=column)


def instant(
    text: str, formats: tuple[str, ...], zone: tzinfo | None, *, source: str, row: int, column: str
) -> datetime:
    """A timezone-aware instant; one without an offset needs ``zone`` (``--timezone``)."""
    try:
        parsed = parse_datetime(text, formats, zone or NAIVE)
    except DateError:
        refuse(source, "date", text, row=row, column=column)
    if parsed.tzinfo is NAIVE:
        refuse(source, "no_offset", text, row=row, column=column)
    return parsed


def minutes(text: str, *, source: str, row: int, column: str) -> float:
    """A duration in minutes, ``12`` or ``12.5`` (a decimal comma too), not negative."""
    try:
        number = float(text.strip().replace(",", "."))
    except ValueError:
        refuse(source, "minutes", text, row=row, column=column)
    if not number >= 0:  # negative, or NaN
        refuse(source, "minutes", text, row=row, column=column)
    return number


def status(text: str) -> str:
    """The engine's word for a help desk's status; another one (a custom status such as
    "Awaiting parts") as written, lower case, words joined by ``_``: a policy may name it
    among its ``pause_statuses``."""
    spoken = words(text)
    return STATUSES.get(spoken, spoken.replace(" ", "_"))


def priority(text: str | None) -> str | None:
    """A known priority in the engine's words; another one (``P1``) as written; None if
    blank (the caller counts the default)."""
    if text is None or not text.strip() or text.strip() == "-":
        return None
    return PRIORITIES.get(words(text), text.strip())


def channel(text: str | None) -> str | None:
    if text is None or not text.strip():
        return None
    spoken = words(text)
    return CHANNELS.get(spoken, spoken.replace(" ", "_"))
