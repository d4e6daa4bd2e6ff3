"""The people of a workspace's community: found by e-mail address (signed in by a link) or
by an anonymous browser's secret, created on first use (``docs/community.md``)."""

from __future__ import annotations

import hashlib
import hmac

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap.db.tables import CommunityPerson, Workspace
from cxgap.errors import FieldProblem, PermissionDeniedError, ValidationError
from cxgap.i18n import LOCALES
from cxgap.services.accounts import EMAIL_PATTERN
from cxgap.services.survey_mailing import email_hash

NAME_LIMIT = 80


def _language(value: str) -> str:
    return value if value in LOCALES else "en"


def _checked_address(email: str) -> str:
    address = email.strip().lower()
    if len(address) > 254 or not EMAIL_PATTERN.match(address):
        problem = FieldProblem("email", "is not an e-mail address", code="mail_address")
        raise ValidationError([problem], summary="Invalid e-mail address")
    return address


def person_by_email(
    session: Session, *, workspace: Workspace, email: str, language: str = "en", name: str = ""
) -> CommunityPerson:
    """The person with this address in the workspace, created on first use; a later visit in
    another language or with a name updates them."""
    address = _checked_address(email)
    digest = email_hash(address)
    person = session.scalar(
        select(CommunityPerson).where(
            CommunityPerson.workspace_id == workspace.id, CommunityPerson.email_hash == digest
        )
    )
    if person is None:
        person = CommunityPerson(workspace_id=workspace.id, email=address, email_hash=digest)
        session.add(person)
    person.language = _language(language)
    if name.strip():
        person.display_name = name.strip()[:NAME_LIMIT]
    session.flush()
    return person


def anonymous_key(secret: str, browser_secret: str) -> str:
    """What is stored of an anonymous browser's secret: its HMAC under the installation's key
    (so a leaked table cannot be replayed as cookies)."""
    return hmac.new(
        secret.encode(), f"community:{browser_secret}".encode(), hashlib.sha256
    ).hexdigest()


def find_anonymous(session: Session, *, workspace: Workspace, key: str) -> CommunityPerson | None:
    """The anonymous person behind ``key``, if the browser has acted before."""
    return session.scalar(
        select(CommunityPerson).where(
            CommunityPerson.workspace_id == workspace.id, CommunityPerson.anonymous_key == key
        )
    )


def anonymous_person(
    session: Session, *, workspace: Workspace, key: str, language: str = "en"
) -> CommunityPerson:
    """The anonymous person behind ``key`` (``anonymous_key``), created on first use: one
    browser, one vote per idea."""
    person = find_anonymous(session, workspace=workspace, key=key)
    if person is None:
        person = CommunityPerson(workspace_id=workspace.id, anonymous_key=key)
        person.language = _language(language)
        session.add(person)
        session.flush()
    return person


def check_not_blocked(person: CommunityPerson) -> None:
    """A moderator's block stops posting, voting and commenting."""
    if person.blocked:
        raise PermissionDeniedError("This person was blocked by the moderators").keyed(
            "community.error.blocked"
        )
