"""Times shown on a page in the workspace's time zone, the zone named and UTC on hover.

A case's history and its SLA due times are stored and sent by the API as ISO 8601 instants
with an offset; a page shows each one as local wall time with the zone's abbreviation
(``2026-12-07 10:30 CET``), inside ``<time datetime=…>`` whose ``title`` gives the UTC time,
so that the history and the due times read the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape

_SHOWN = "%Y-%m-%d %H:%M"


@dataclass(frozen=True)
class LocalTimes:
    """``local_time(iso)`` in templates: an instant as the workspace reads it."""

    zone: ZoneInfo

    @property
    def name(self) -> str:
        return str(self.zone.key)

    def __call__(self, value: str | datetime | None, empty: str = "—") -> Markup:
        if value is None or value == "":
            return Markup(escape(empty))
        instant = datetime.fromisoformat(value) if isinstance(value, str) else value
        if instant.tzinfo is None:  # stored instants are UTC
            instant = instant.replace(tzinfo=UTC)
        local = instant.astimezone(self.zone)
        utc = instant.astimezone(UTC).strftime(_SHOWN) + " UTC"
        shown = f"{local.strftime(_SHOWN)} {local.strftime('%Z')}"
        return Markup('<time datetime="{}" title="{}">{}</time>').format(
            instant.isoformat(), utc, shown
        )
