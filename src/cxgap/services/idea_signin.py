"""Signing a customer in on the idea board by an e-mail link, without a password
(``docs/community.md``).

The link's token is ``<person id>.<expiry, epoch seconds>.<HMAC of both>`` under the
installation's secret: nothing is stored, a forged or altered token fails the check and an
old one (over 30 minutes) is refused. Following it signs the browser in for the workspace;
what the browser did anonymously (its votes, what it followed) becomes the person's.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from cxgap.db.tables import CommunityPerson, IdeaFollower, IdeaVote, Workspace
from cxgap.errors import NotFoundError
from cxgap.mail.message import Letter, render_letter

LIFETIME = timedelta(minutes=30)


def _signature(secret: str, person_id: int, expiry: int) -> str:
    message = f"community-signin:{person_id}:{expiry}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:32]


def signin_token(secret: str, person_id: int, now: datetime | None = None) -> str:
    expiry = int(((now or datetime.now(UTC)) + LIFETIME).timestamp())
    return f"{person_id}.{expiry}.{_signature(secret, person_id, expiry)}"


def _bad_link() -> NotFoundError:
    return NotFoundError("This sign-in link is not valid").keyed("community.error.bad_link")


def person_of_signin(
    session: Session, secret: str, workspace: Workspace, token: str, now: datetime | None = None
) -> CommunityPerson:
    """The person a sign-in link was sent to; NotFoundError when it is forged, for another
    workspace or expired (the message says which of the last)."""
    parts = token.split(".")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit() or len(parts[0]) > 18:
        raise _bad_link()
    person_id, expiry = int(parts[0]), int(parts[1])
    if not hmac.compare_digest(parts[2], _signature(secret, person_id, expiry)):
        raise _bad_link()
    person = session.get(CommunityPerson, person_id)
    if person is None or person.workspace_id != workspace.id or person.email is None:
        raise _bad_link()
    if (now or datetime.now(UTC)).timestamp() > expiry:
        raise NotFoundError("This sign-in link has expired").keyed("community.error.link_expired")
    return person


def merge_anonymous(session: Session, anonymous: CommunityPerson, person: CommunityPerson) -> None:
    """Give ``person`` the votes and follows of the anonymous browser (once each)."""
    if anonymous.id == person.id or anonymous.workspace_id != person.workspace_id:
        return
    for table in (IdeaVote, IdeaFollower):
        already = select(table.idea_id).where(table.person_id == person.id)
        session.execute(
            update(table)
            .where(table.person_id == anonymous.id, table.idea_id.not_in(already))
            .values(person_id=person.id)
        )
        session.execute(delete(table).where(table.person_id == anonymous.id))
    session.flush()


def signin_letter(
    *, person: CommunityPerson, workspace: Workspace, secret: str, base: str, locale: str
) -> Letter:
    """The e-mail with the sign-in link, in the reader's language."""
    assert person.email is not None
    token = signin_token(secret, person.id)
    link = f"{base}/community/{workspace.key}/signin/{token}?lang={locale}"
    minutes = int(LIFETIME.total_seconds() // 60)
    return render_letter(
        "idea_signin", to=person.email, locale=locale, brand=workspace.name, link=link,
        minutes=minutes,
    )  # fmt: skip
