"""Writing audit events."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap.audit.actions import Action
from cxgap.db.tables import AuditEvent, User, Workspace


class Actor(Protocol):
    """Whoever acts: a signed-in user (``services.accounts.Principal``)."""

    @property
    def user_id(self) -> int: ...


@dataclass(frozen=True)
class Target:
    """What an event is about: a kind (``member``, ``journey``, ``export``…) and its id."""

    type: str
    id: str | int | None = None


# Details are for ids, counts, formats and roles: a value longer than this is cut, so a
# verbatim passed by mistake cannot land whole in the trail.
_DETAIL_LIMIT = 200


def pseudonym(secret: str, email: str) -> str:
    """A keyed hash standing for an e-mail that belongs to no account (a failed sign-in)."""
    digest = hmac.new(secret.encode(), email.strip().lower().encode(), hashlib.sha256)
    return "email:" + digest.hexdigest()[:16]


def _clean(details: Mapping[str, object] | None) -> dict[str, object]:
    cleaned: dict[str, object] = {}
    for key, value in (details or {}).items():
        if isinstance(value, str | int | float | bool) or value is None:
            cleaned[key] = value[:_DETAIL_LIMIT] if isinstance(value, str) else value
        else:
            cleaned[key] = str(value)[:_DETAIL_LIMIT]
    return cleaned


def record(
    session: Session,
    *,
    actor: Actor | None,
    action: Action,
    workspace: Workspace | None = None,
    target: Target | None = None,
    details: Mapping[str, object] | None = None,
    address: str | None = None,
    actor_ref: str | None = None,
) -> AuditEvent:
    """Add an event to the session's transaction (it is stored if and when that commits).

    ``actor`` is who acted (None: nobody signed in, e.g. a failed sign-in; then
    ``actor_ref`` may carry a :func:`pseudonym`).
    """
    event = AuditEvent(
        actor_user_id=actor.user_id if actor else None,
        actor_ref=actor_ref or (f"user:{actor.user_id}" if actor else ""),
        workspace_id=workspace.id if workspace else None,
        workspace_key=workspace.key if workspace else None,
        action=action.value,
        target_type=target.type if target else None,
        target_id=str(target.id) if target and target.id is not None else None,
        address=(address or None) and address[:64],
        details=_clean(details),
    )
    session.add(event)
    return event


def record_failed_sign_in(
    session: Session, *, email: str, secret: str, method: str, address: str | None
) -> AuditEvent:
    """A refused sign-in: tied to the account when the e-mail names one, to a pseudonym of
    the e-mail otherwise (the trail never holds an e-mail)."""
    user_id = session.scalar(select(User.id).where(User.email == email.strip().lower()))
    event = record(
        session,
        actor=None,
        action=Action.SIGN_IN_FAILED,
        target=Target("user", user_id) if user_id is not None else None,
        details={"method": method},
        address=address,
        actor_ref=f"user:{user_id}" if user_id is not None else pseudonym(secret, email),
    )
    event.actor_user_id = user_id
    return event
