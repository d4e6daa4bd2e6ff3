"""Inviting members: an account without a password and a single-use, expiring link with
which the invitee chooses one. Only the link's SHA-256 is stored."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from cxgap.config import Settings
from cxgap.db.tables import MemberInvitation, User, Workspace
from cxgap.errors import (
    ConfigError,
    MailServerError,
    MemberInvitationError,
    NotFoundError,
)
from cxgap.mail.message import Letter, long_date, render_letter
from cxgap.mail.sender import mail_configured, mailer_for
from cxgap.services import accounts

INVITATION_TTL = timedelta(days=7)


@dataclass(frozen=True)
class Invitation:
    """What the administrator's action did: ``token`` is None when the person already had an
    account (they only got the role)."""

    email: str
    name: str
    token: str | None
    expires_at: datetime | None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite_member(
    session: Session,
    *,
    workspace: Workspace,
    email: str,
    role: str,
    name: str = "",
    locale: str | None = None,
) -> Invitation:
    """Give ``email`` the role; a new person gets a passwordless account and an invitation,
    someone invited before who never accepted gets a fresh one (the old link dies)."""
    accounts.parse_role(role)
    try:
        user = accounts.get_user(session, email=email)
    except NotFoundError:
        user = accounts.create_user(session, email=email, password=None, name=name)
        user.locale = locale
    accounts.set_membership(session, workspace=workspace, email=user.email, role=role)
    if accounts.has_password(user):
        return Invitation(user.email, user.name, None, None)
    return _issue(session, user, workspace)


def reissue(session: Session, *, workspace: Workspace, user_id: int) -> Invitation:
    """A new link for a member who has not accepted yet (lost e-mail, expired link)."""
    members = {user.id: user for user, _ in accounts.list_members(session, workspace)}
    user = members.get(user_id)
    if user is None or accounts.has_password(user):
        raise NotFoundError(f"No pending invitation for member {user_id} in {workspace.key!r}")
    return _issue(session, user, workspace)


def _issue(session: Session, user: User, workspace: Workspace) -> Invitation:
    _revoke(session, user.id)
    token = secrets.token_urlsafe(32)
    expires = datetime.now(UTC) + INVITATION_TTL
    session.add(
        MemberInvitation(
            user_id=user.id,
            workspace_id=workspace.id,
            token_hash=_digest(token),
            expires_at=expires,
        )
    )
    session.flush()
    return Invitation(user.email, user.name, token, expires)


def _revoke(session: Session, user_id: int) -> None:
    now = datetime.now(UTC)
    session.execute(
        update(MemberInvitation)
        .where(MemberInvitation.user_id == user_id, MemberInvitation.used_at.is_(None))
        .values(used_at=now)
    )


@dataclass(frozen=True)
class OpenInvitation:
    email: str
    name: str
    workspace_key: str | None


def _open(session: Session, token: str) -> tuple[MemberInvitation, User]:
    row = session.scalar(
        select(MemberInvitation).where(MemberInvitation.token_hash == _digest(token))
    )
    user = session.get(User, row.user_id) if row is not None else None
    if row is None or user is None:
        raise MemberInvitationError("This invitation link is not valid", reason="unknown")
    if row.used_at is not None:
        raise MemberInvitationError("This invitation link was already used", reason="used")
    if row.expires_at <= datetime.now(UTC):
        raise MemberInvitationError("This invitation link has expired", reason="expired")
    return row, user


def check_invitation(session: Session, token: str) -> OpenInvitation:
    """Who the link is for, if it can still be used."""
    row, user = _open(session, token)
    workspace = session.get(Workspace, row.workspace_id) if row.workspace_id else None
    return OpenInvitation(user.email, user.name, workspace.key if workspace else None)


def accept_invitation(session: Session, *, token: str, password: str) -> accounts.Principal:
    """Set the invitee's password; the link (and any older one) then stops working."""
    _, user = _open(session, token)
    accounts.set_password(session, email=user.email, password=password)
    _revoke(session, user.id)
    return accounts.principal_of(user)


def require_new_password(session: Session, *, workspace: Workspace, user_id: int) -> str:
    """Make a member choose a new password at their next sign-in (for an account whose
    password someone else chose, such as the one-time passwords shown before invitations
    existed); returns their e-mail."""
    members = {user.id: user for user, _ in accounts.list_members(session, workspace)}
    user = members.get(user_id)
    if user is None or not accounts.has_password(user):
        raise NotFoundError(f"No active member {user_id} in workspace {workspace.key!r}")
    user.must_change_password = True
    return user.email


def pending_member_ids(session: Session, workspace: Workspace) -> set[int]:
    """Members who have not chosen a password yet."""
    return {
        user.id
        for user, _ in accounts.list_members(session, workspace)
        if not accounts.has_password(user)
    }


def invitation_letter(
    invitation: Invitation,
    *,
    link: str,
    locale: str,
    inviter: str,
    workspace: Workspace,
    expires_text: str,
) -> Letter:
    return render_letter(
        "member_invitation",
        to=invitation.email,
        locale=locale,
        inviter=inviter,
        workspace=workspace.name,
        link=link,
        expires=expires_text,
    )


@dataclass(frozen=True)
class Dispatch:
    """How the invitation reaches the person: ``sent``, or the link for the administrator to
    pass on because e-mail is ``not_configured`` or ``failed`` (with the reason)."""

    outcome: str
    link: str
    reason: str = ""


def dispatch_invitation(
    settings: Settings,
    invitation: Invitation,
    *,
    base_url: str,
    locale: str,
    inviter: str,
    workspace: Workspace,
) -> Dispatch:
    if invitation.token is None or invitation.expires_at is None:
        raise ValueError("only a new invitation can be dispatched")
    link = f"{base_url}/invite/{invitation.token}"
    if not mail_configured(settings):
        return Dispatch("not_configured", link)
    letter = invitation_letter(
        invitation,
        link=link,
        locale=locale,
        inviter=inviter,
        workspace=workspace,
        expires_text=long_date(invitation.expires_at, locale),
    )
    try:
        delivery = mailer_for(settings).send([letter])[0]
    except (MailServerError, ConfigError) as exc:  # unreachable server, malformed URL
        return Dispatch("failed", link, str(exc))
    return Dispatch("sent", link) if delivery.ok else Dispatch("failed", link, delivery.reason)
