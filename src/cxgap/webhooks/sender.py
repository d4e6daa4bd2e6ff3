"""Posting due webhook deliveries: signed, retried with exponential backoff, logged.

Run by the scheduled ``webhooks`` job (``jobs/maintenance.py``), one round per slot.

A delivery is read in one short transaction, posted outside any transaction (a slow receiver
never holds a database lock), and its outcome written in another. A 2xx answer delivers it;
anything else (another status, a refused connection, a timeout) is retried after
``base_seconds × 2^(attempts-1)`` until ``max_attempts``, then marked failed.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap.db.tables import Webhook, WebhookDelivery
from cxgap.webhooks.signing import (
    DELIVERY_HEADER,
    EVENT_HEADER,
    SIGNATURE_HEADER,
    signature_header,
)

log = logging.getLogger(__name__)
Post = Callable[[str, bytes, Mapping[str, str], float], int]
MAX_ERROR = 500


@dataclass(frozen=True)
class RetryPolicy:
    base_seconds: float = 30.0
    max_attempts: int = 6
    timeout: float = 10.0

    def delay(self, attempts: int) -> timedelta:
        return timedelta(seconds=self.base_seconds * 2 ** max(0, attempts - 1))


@dataclass(frozen=True)
class _Due:
    id: int
    url: str
    secret: str
    event: str
    payload: dict[str, object]
    attempts: int


def post_json(url: str, body: bytes, headers: Mapping[str, str], timeout: float) -> int:
    """POST with the standard library; the HTTP status (error statuses included)."""
    request = urllib.request.Request(url, data=body, headers=dict(headers), method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def body_of(payload: Mapping[str, object]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def deliver_due(
    sessions: Callable[[], Session],
    *,
    now: datetime | None = None,
    policy: RetryPolicy | None = None,
    post: Post = post_json,
    limit: int = 50,
) -> int:
    """Attempt every delivery due at ``now``; returns how many were attempted."""
    policy = policy or RetryPolicy()
    now = now or datetime.now(UTC)
    due = _due(sessions, now, limit)
    for item in due:
        status, error = _attempt(item, now, policy, post)
        _record(sessions, item, now, policy, status, error)
    return len(due)


def _due(sessions: Callable[[], Session], now: datetime, limit: int) -> list[_Due]:
    with sessions() as session:
        rows = session.execute(
            select(WebhookDelivery, Webhook)
            .join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
            .where(WebhookDelivery.status == "pending", WebhookDelivery.next_attempt_at <= now)
            .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
            .limit(limit)
        )
        return [_Due(d.id, w.url, w.secret, d.event, dict(d.payload), d.attempts) for d, w in rows]


def _attempt(
    item: _Due, now: datetime, policy: RetryPolicy, post: Post
) -> tuple[int | None, str | None]:
    body = body_of(item.payload)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "cxgap-webhooks",
        EVENT_HEADER: item.event,
        DELIVERY_HEADER: str(item.id),
        SIGNATURE_HEADER: signature_header(item.secret, int(now.timestamp()), body),
    }
    try:
        status = post(item.url, body, headers, policy.timeout)
    except (OSError, ValueError) as exc:  # refused, unreachable, timed out, bad address
        return None, f"{type(exc).__name__}: {exc}"[:MAX_ERROR]
    return status, None if 200 <= status < 300 else f"HTTP {status}"


def _record(
    sessions: Callable[[], Session],
    item: _Due,
    now: datetime,
    policy: RetryPolicy,
    status: int | None,
    error: str | None,
) -> None:
    with sessions() as session, session.begin():
        row = session.get(WebhookDelivery, item.id)
        if row is None:  # the webhook was removed meanwhile
            return
        row.attempts += 1
        row.response_status = status
        row.last_error = error
        if error is None:
            row.status, row.delivered_at = "delivered", now
        elif row.attempts >= policy.max_attempts:
            row.status = "failed"
            log.warning("webhook delivery %s failed after %s attempts", row.id, row.attempts)
        else:
            row.next_attempt_at = now + policy.delay(row.attempts)
