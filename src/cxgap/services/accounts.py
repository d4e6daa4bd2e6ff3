"""Users, roles, memberships and API tokens."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cxgap.db.tables import ApiToken, Membership, User, Workspace
from cxgap.errors import (
    AuthenticationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD_LENGTH = 10
_hasher = PasswordHasher()


class Role(StrEnum):
    ADMIN = "admin"
    ANALYST = "analyst"
    VIEWER = "viewer"

    @property
    def level(self) -> int:
        return {Role.VIEWER: 1, Role.ANALYST: 2, Role.ADMIN: 3}[self]


@dataclass(frozen=True)
class Principal:
    """Who is acting: enough to check permissions without holding a session open."""

    user_id: int
    email: str
    name: str
    is_superuser: bool
    must_change_password: bool = False


def parse_role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        allowed = ", ".join(r.value for r in Role)
        raise ValidationError.single("role", f"must be one of {allowed}", value) from None


def hash_password(password: str) -> str:
    return _hasher.hash(password)


# An invited account has no password until the invitee chooses one: no argon2 hash starts
# with "!", so no password matches it.
UNUSABLE_PASSWORD_PREFIX = "!"


def unusable_password() -> str:
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_hex(16)


def has_password(user: User) -> bool:
    return not user.password_hash.startswith(UNUSABLE_PASSWORD_PREFIX)


def _check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError.single(
            "password", f"must be at least {MIN_PASSWORD_LENGTH} characters", "(hidden)"
        )


def _normalise_email(email: str) -> str:
    email = email.strip().lower()
    if not EMAIL_PATTERN.match(email):
        raise ValidationError.single("email", "is not a valid e-mail address", email)
    return email


def create_user(
    session: Session,
    *,
    email: str,
    password: str | None,
    name: str = "",
    is_superuser: bool = False,
    must_change_password: bool = False,
) -> User:
    """A new account. ``password=None`` makes an invited account that cannot sign in until
    its invitation is accepted; ``must_change_password`` marks a password chosen for the
    user (generated, or typed by an administrator), to be replaced at the first sign-in."""
    email = _normalise_email(email)
    if password is not None:
        _check_new_password(password)
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise ConflictError(f"A user with e-mail {email!r} already exists")
    user = User(
        email=email,
        name=name.strip() or email.split("@")[0],
        password_hash=hash_password(password) if password is not None else unusable_password(),
        is_superuser=is_superuser,
        must_change_password=must_change_password and password is not None,
    )
    session.add(user)
    session.flush()
    return user


def set_password(session: Session, *, email: str, password: str) -> None:
    """The user's own new password (it no longer needs changing)."""
    _check_new_password(password)
    user = get_user(session, email=email)
    user.password_hash = hash_password(password)
    user.must_change_password = False


def get_user(session: Session, *, email: str) -> User:
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise NotFoundError(f"No user with e-mail {email!r}")
    return user


def count_users(session: Session) -> int:
    return session.scalar(select(func.count(User.id))) or 0


def authenticate(session: Session, *, email: str, password: str) -> Principal:
    """The user with these credentials; the same error whatever was wrong."""
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        # Spend the same time as a real check so e-mail existence does not leak by timing.
        _hasher.hash(password)
        raise AuthenticationError("Wrong e-mail or password")
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        raise AuthenticationError("Wrong e-mail or password") from None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return principal_of(user)


def principal_of(user: User) -> Principal:
    return Principal(
        user_id=user.id,
        email=user.email,
        name=user.name,
        is_superuser=user.is_superuser,
        must_change_password=user.must_change_password,
    )


def load_principal(session: Session, user_id: int) -> Principal | None:
    user = session.get(User, user_id)
    return principal_of(user) if user else None


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_api_token(session: Session, *, email: str, name: str) -> str:
    """A new bearer token for the user; only its hash is stored, so show it once."""
    user = get_user(session, email=email)
    token = "cxg_" + secrets.token_urlsafe(32)
    session.add(
        ApiToken(user_id=user.id, name=name.strip() or "token", token_hash=_token_digest(token))
    )
    return token


def principal_for_token(session: Session, token: str) -> Principal:
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == _token_digest(token)))
    if row is None:
        raise AuthenticationError("Unknown or revoked API token")
    row.last_used_at = datetime.now(UTC)
    user = session.get(User, row.user_id)
    if user is None:
        raise AuthenticationError("Unknown or revoked API token")
    return principal_of(user)


def set_membership(session: Session, *, workspace: Workspace, email: str, role: str) -> Membership:
    parsed = parse_role(role)
    user = get_user(session, email=email)
    membership = session.scalar(
        select(Membership).where(
            Membership.user_id == user.id, Membership.workspace_id == workspace.id
        )
    )
    if membership is None:
        membership = Membership(user_id=user.id, workspace_id=workspace.id, role=parsed.value)
        session.add(membership)
    else:
        membership.role = parsed.value
    session.flush()
    return membership


def role_in(session: Session, principal: Principal, workspace: Workspace) -> Role | None:
    if principal.is_superuser:
        return Role.ADMIN
    value = session.scalar(
        select(Membership.role).where(
            Membership.user_id == principal.user_id, Membership.workspace_id == workspace.id
        )
    )
    return Role(value) if value else None


def require_role(
    session: Session, principal: Principal, workspace: Workspace, needed: Role
) -> Role:
    role = role_in(session, principal, workspace)
    if role is None:
        # Same answer as a missing workspace: do not reveal which workspaces exist.
        raise NotFoundError(f"No workspace {workspace.key!r}")
    if role.level < needed.level:
        raise PermissionDeniedError(
            f"This needs the {needed.value} role in workspace {workspace.key!r}; "
            f"you are {role.value}"
        )
    return role


def list_members(session: Session, workspace: Workspace) -> list[tuple[User, str]]:
    rows = session.execute(
        select(User, Membership.role)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.workspace_id == workspace.id)
        .order_by(User.email)
    )
    return [(user, role) for user, role in rows]


def ensure_first_admin(session: Session, *, email: str, password: str | None) -> str | None:
    """Create the first superuser when there are no users; returns the password it set. A
    generated password must be changed at the first sign-in."""
    if count_users(session) > 0:
        return None
    generated = password is None
    password = password or secrets.token_urlsafe(12)
    create_user(
        session,
        email=email,
        password=password,
        name="Admin",
        is_superuser=True,
        must_change_password=generated,
    )
    return password


def _member(session: Session, workspace: Workspace, user_id: int) -> Membership:
    membership = session.scalar(
        select(Membership).where(
            Membership.user_id == user_id, Membership.workspace_id == workspace.id
        )
    )
    if membership is None:
        raise NotFoundError(f"No member {user_id} in workspace {workspace.key!r}")
    return membership


def _keep_an_admin(session: Session, workspace: Workspace, membership: Membership) -> None:
    """Refuse to demote or remove the workspace's last admin: nobody could manage it."""
    if membership.role != Role.ADMIN.value:
        return
    admins = session.scalar(
        select(func.count())
        .select_from(Membership)
        .where(Membership.workspace_id == workspace.id, Membership.role == Role.ADMIN.value)
    )
    if (admins or 0) <= 1:
        raise ConflictError(
            f"Member {membership.user_id} is the last admin of workspace {workspace.key!r}: "
            "make someone else admin first"
        )


def change_member_role(
    session: Session, *, workspace: Workspace, user_id: int, role: str
) -> Membership:
    """Give member ``user_id`` another role (never leaving the workspace without an admin)."""
    parsed = parse_role(role)
    membership = _member(session, workspace, user_id)
    if parsed is not Role.ADMIN:
        _keep_an_admin(session, workspace, membership)
    membership.role = parsed.value
    session.flush()
    return membership


def remove_member(session: Session, *, workspace: Workspace, user_id: int) -> None:
    """Take member ``user_id`` out of the workspace; their account and other workspaces stay."""
    membership = _member(session, workspace, user_id)
    _keep_an_admin(session, workspace, membership)
    session.delete(membership)
    session.flush()
