"""How long a survey answer took: the page signs the moment it was shown into a hidden field
(``started``), and the answer's duration is the time from then to its arrival.

The field is ``<milliseconds>.<HMAC-SHA256 of them, 20 hex>`` under the app's secret key, so
a client cannot claim a longer (or any other) time; a missing, altered or implausible value
(in the future, or over a day old) gives no duration rather than a wrong one.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from cxgap.config import Settings
from cxgap.db.tables import CustomerResponse

STARTED_FIELD = "started"
_LONGEST = 86_400.0  # a page left open over a day says nothing about the answer's pace


def _signature(stamp: str, secret: str) -> str:
    message = f"survey-started:{stamp}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:20]


def started_value(secret: str, now: datetime | None = None) -> str:
    """The hidden field's value for a page shown ``now``."""
    moment = now or datetime.now(UTC)
    stamp = str(int(moment.timestamp() * 1000))
    return f"{stamp}.{_signature(stamp, secret)}"


def seconds_taken(value: object, secret: str, now: datetime | None = None) -> float | None:
    """Seconds from the signed render time to ``now``; ``None`` when the value is missing,
    not signed by ``secret``, in the future or over a day old."""
    if not isinstance(value, str) or value.count(".") != 1:
        return None
    stamp, signature = value.split(".")
    if not stamp.isdigit() or len(stamp) > 15:
        return None
    if not hmac.compare_digest(signature, _signature(stamp, secret)):
        return None
    moment = now or datetime.now(UTC)
    seconds = moment.timestamp() - int(stamp) / 1000
    return round(seconds, 1) if 0 <= seconds <= _LONGEST else None


def record_duration(
    session: Session, response_id: int, form: Mapping[str, object], secret: str
) -> int:
    """Store how long answer ``response_id`` took, when its form says it; its id back."""
    seconds = seconds_taken(form.get(STARTED_FIELD), secret)
    if seconds is not None:
        statement = update(CustomerResponse).where(CustomerResponse.id == response_id)
        session.execute(statement.values(duration_seconds=seconds))
    return response_id


def form_guards(values: Mapping[str, str], settings: Settings) -> dict[str, Any]:
    """The survey form's hidden guards: the honeypot's name and the signed render time (kept
    from the first render when the form is shown again after a problem)."""
    from cxgap.services.answers import HONEYPOT_FIELD  # answers imports this module

    started = values.get(STARTED_FIELD) or started_value(settings.resolved_secret_key())
    return {"honeypot": HONEYPOT_FIELD, "started": started}
