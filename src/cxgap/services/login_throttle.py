"""Sign-in throttling: password guessing is slowed down, the account's owner is not locked out.

Counting failures per account alone let anyone lock anyone out (five wrong passwords, from
anywhere, and the owner waited 15 minutes). Failures are now counted three ways, each as a
keyed hash so that neither e-mails nor addresses are stored:

- per account *and* address: five failures stop that address for that account (15 minutes);
- per address: 25 failures stop that address for every account (an office shares one);
- per account, from anywhere: after ten failures the account is *slowed down*, not locked:
  each further attempt must wait twice as long as the previous one (1 s, 2 s… up to
  15 minutes), except from a device the owner signed in with before (it carries a cookie
  proving it), so a distributed guesser gets a few tries an hour while the owner gets in.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from cxgap.db.tables import LoginFailure
from cxgap.errors import LoginSlowedDown, RateLimitedError

WINDOW = timedelta(minutes=15)
PAIR_LIMIT = 5  # failures for one account from one address
ADDRESS_LIMIT = 25  # failures from one address, whatever the accounts
ACCOUNT_FREE_FAILURES = 10  # failures for one account from anywhere before it slows down
FIRST_DELAY = 1.0  # seconds to wait after the first failure beyond the free ones; doubles
MAX_DELAY = WINDOW
DEVICE_COOKIE = "cxgap_device"
_LOCK_NAMESPACE = 0x63786C67  # "cxlg", apart from other advisory locks
DEVICE_COOKIE_DAYS = 365


@dataclass(frozen=True)
class LoginKeys:
    """The keyed hashes one sign-in attempt is counted under."""

    pair: str
    address: str
    account: str
    device: str  # the device cookie's value for this account


def _keyed(secret: str, value: str) -> str:
    return hmac.new(secret.encode(), value.encode(), hashlib.sha256).hexdigest()


def login_keys(*, email: str, client_ip: str, secret: str) -> LoginKeys:
    account = email.strip().lower()
    return LoginKeys(
        pair=_keyed(secret, f"pair:{account}:{client_ip}"),
        address=_keyed(secret, f"ip:{client_ip}"),
        account=_keyed(secret, f"email:{account}"),
        device=_keyed(secret, f"device:{account}"),
    )


def is_known_device(keys: LoginKeys, cookie: str | None) -> bool:
    """Whether the browser's device cookie proves an earlier sign-in to this account."""
    return bool(cookie) and hmac.compare_digest(str(cookie), keys.device)


def check_login_allowed(session: Session, keys: LoginKeys, *, known_device: bool) -> None:
    """Refuse an attempt from an address that failed too often, or one that comes too soon
    after the account's last failure (not from a known device)."""
    _lock_account(session, keys)
    now = datetime.now(UTC)
    session.execute(delete(LoginFailure).where(LoginFailure.at < now - WINDOW))
    if _count(session, keys.pair) >= PAIR_LIMIT or _count(session, keys.address) >= ADDRESS_LIMIT:
        minutes = int(WINDOW.total_seconds() // 60)
        raise RateLimitedError(
            f"Too many failed logins; try again in {minutes} minutes or ask an "
            "administrator to reset your password"
        )
    if known_device:
        return
    wait = account_wait(session, keys, now=now)
    if wait > 0:
        raise LoginSlowedDown(wait)


def account_wait(session: Session, keys: LoginKeys, *, now: datetime) -> int:
    """Seconds before the account accepts another attempt from an unknown device."""
    failures = _count(session, keys.account)
    if failures < ACCOUNT_FREE_FAILURES:
        return 0
    doubled = FIRST_DELAY * 2.0 ** (failures - ACCOUNT_FREE_FAILURES)
    delay = min(doubled, MAX_DELAY.total_seconds())
    last = session.scalar(
        select(func.max(LoginFailure.at)).where(LoginFailure.key_hash == keys.account)
    )
    if last is None:
        return 0
    last = last if last.tzinfo else last.replace(tzinfo=UTC)
    return max(0, math.ceil(delay - (now - last).total_seconds()))


def record_login_failure(session: Session, keys: LoginKeys) -> None:
    session.add_all(LoginFailure(key_hash=key) for key in (keys.pair, keys.address, keys.account))


def clear_login_failures(session: Session, keys: LoginKeys) -> None:
    """After a successful sign-in: this address's failures for the account are forgiven
    (the account's others stay: the owner's success must not reset a guesser's delay)."""
    session.execute(delete(LoginFailure).where(LoginFailure.key_hash == keys.pair))


def _lock_account(session: Session, keys: LoginKeys) -> None:
    """Attempts on one account take turns until their transaction ends: otherwise guesses
    sent at the same moment would all find the wait over before any recorded its failure.
    PostgreSQL: an advisory transaction lock; SQLite: the write lock the ``DELETE`` takes."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock(:namespace, :key)"),
            {"namespace": _LOCK_NAMESPACE, "key": int(keys.account[:8], 16) - 2**31},
        )


def _count(session: Session, key: str) -> int:
    return (
        session.scalar(select(func.count(LoginFailure.id)).where(LoginFailure.key_hash == key)) or 0
    )
