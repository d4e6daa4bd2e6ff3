"""Server-side browser sessions: started at sign-in, ended by logout, a password change or an
administrator, and by idle or absolute expiry.

The cookie carries a random id; only its SHA-256 is stored, so a copy of the database cannot
be turned into a working cookie, and deleting (revoking) the row ends the session at once.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from cxgap.db.tables import UserSession
from cxgap.errors import NotFoundError

# A session's last_seen_at is written at most this often: not a write per page view.
TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class Lifetime:
    """How long a session may sit unused (idle) and live at most (absolute)."""

    idle: timedelta
    absolute: timedelta

    @classmethod
    def of(cls, *, idle_minutes: int, max_days: int) -> Lifetime:
        return cls(idle=timedelta(minutes=idle_minutes), absolute=timedelta(days=max_days))


@dataclass(frozen=True)
class SessionInfo:
    """One session as the account page lists it."""

    id: int
    method: str
    created_at: datetime
    last_seen_at: datetime
    user_agent: str
    current: bool


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


_BROWSERS = (
    ("Edg/", "Edge"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iOS"),
    ("iPad", "iOS"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
)


def summarise_user_agent(header: str) -> str:
    """'Firefox on Linux': enough to recognise one's devices, without storing the header."""
    browser = next((name for marker, name in _BROWSERS if marker in header), "")
    system = next((name for marker, name in _SYSTEMS if marker in header), "")
    if browser and system:
        return f"{browser} on {system}"
    summary = browser or system or re.sub(r"[^\w .-]", "", header.split("/")[0])
    return summary[:100]


def start(
    session: Session,
    *,
    user_id: int,
    lifetime: Lifetime,
    user_agent: str = "",
    method: str = "password",
    now: datetime | None = None,
) -> str:
    """A new session for the user; returns the token for the cookie (shown nowhere else)."""
    now = now or datetime.now(UTC)
    # The user's ended sessions go now (the audit log keeps their story): the table stays
    # the size of the live sessions.
    session.execute(
        delete(UserSession).where(
            UserSession.user_id == user_id,
            or_(UserSession.revoked_at.is_not(None), UserSession.expires_at <= now),
        )
    )
    token = secrets.token_urlsafe(32)
    session.add(
        UserSession(
            user_id=user_id,
            token_hash=_digest(token),
            method=method,
            created_at=now,
            last_seen_at=now,
            expires_at=now + lifetime.absolute,
            user_agent=summarise_user_agent(user_agent),
        )
    )
    session.flush()
    return token


def find_active(
    session: Session, token: str, *, lifetime: Lifetime, now: datetime | None = None
) -> UserSession | None:
    """The live session for this cookie token (and marks it seen), or None when it is unknown,
    ended, past its absolute expiry or idle for too long."""
    now = now or datetime.now(UTC)
    row = session.scalar(select(UserSession).where(UserSession.token_hash == _digest(token)))
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        return None
    if now - row.last_seen_at >= lifetime.idle:
        row.revoked_at = now
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
    return row


def session_id_of(session: Session, token: str) -> int | None:
    return session.scalar(select(UserSession.id).where(UserSession.token_hash == _digest(token)))


def end(session: Session, token: str, *, now: datetime | None = None) -> UserSession | None:
    """End the session this cookie token names (logout); the row it ended, if any."""
    row = session.scalar(select(UserSession).where(UserSession.token_hash == _digest(token)))
    if row is not None and row.revoked_at is None:
        row.revoked_at = now or datetime.now(UTC)
        return row
    return None


def end_all(
    session: Session, *, user_id: int, keep_token: str | None = None, now: datetime | None = None
) -> int:
    """End every live session of the user (but ``keep_token``'s); how many were ended."""
    statement = update(UserSession).where(
        UserSession.user_id == user_id, UserSession.revoked_at.is_(None)
    )
    if keep_token is not None:
        statement = statement.where(UserSession.token_hash != _digest(keep_token))
    result = session.execute(statement.values(revoked_at=now or datetime.now(UTC)))
    return int(getattr(result, "rowcount", 0) or 0)


def end_one(session: Session, *, user_id: int, session_id: int) -> None:
    """End one of the user's own sessions (the account page's list)."""
    row = session.get(UserSession, session_id)
    if row is None or row.user_id != user_id:
        raise NotFoundError(f"No session {session_id} of yours")
    if row.revoked_at is None:
        row.revoked_at = datetime.now(UTC)


def list_active(
    session: Session,
    *,
    user_id: int,
    lifetime: Lifetime,
    current_token: str | None = None,
    now: datetime | None = None,
) -> list[SessionInfo]:
    """The user's live sessions, most recently used first."""
    now = now or datetime.now(UTC)
    current = _digest(current_token) if current_token else None
    rows = session.scalars(
        select(UserSession)
        .where(
            UserSession.user_id == user_id,
            UserSession.revoked_at.is_(None),
            UserSession.expires_at > now,
            UserSession.last_seen_at > now - lifetime.idle,
        )
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
    )
    return [
        SessionInfo(
            id=row.id,
            method=row.method,
            created_at=row.created_at,
            last_seen_at=row.last_seen_at,
            user_agent=row.user_agent,
            current=row.token_hash == current,
        )
        for row in rows
    ]
