"""Single sign-on accounts: link or create the user, apply the instance's role rules.

Rules (docs/security.md, "Sign-in with the company's identity provider"):

- An identity is found by issuer + subject; failing that, by its verified e-mail, and the
  existing account is linked (an account already linked to another subject is refused).
- A user created at first sign-in gets the policy's default role in its default workspace
  (or nothing: no access until an administrator adds them).
- Group mappings are authoritative, at every sign-in, for the workspaces they name: the
  user's role there is the highest role of their mapped groups, and a user in none of them
  loses the membership (a group removed at the provider downgrades or removes). The last
  admin of a workspace is never demoted or removed this way. Workspaces no mapping names are
  left to their administrators.
- Local passwords can be turned off; instance administrators (superusers) keep theirs as the
  break-glass way in when the provider is down.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap import audit
from cxgap.db.tables import Membership, SsoGroupRole, SsoPolicy, User, Workspace
from cxgap.errors import ConflictError, NotFoundError, ValidationError
from cxgap.services import accounts
from cxgap.services.accounts import Principal, Role
from cxgap.services.workspaces import get_workspace
from cxgap.sso.identity import Identity

POLICY_ID = 1
MAX_GROUP_LENGTH = 200


@dataclass(frozen=True)
class PolicyView:
    local_passwords: bool
    new_user_workspace: str | None
    new_user_role: str | None


@dataclass(frozen=True)
class GroupRole:
    group: str
    workspace: str
    role: str


@dataclass(frozen=True)
class SignIn:
    """The outcome: who, whether the account was created now, and whether it may open anything."""

    principal: Principal
    created: bool
    has_access: bool


def _policy_row(session: Session) -> SsoPolicy:
    """The stored policy, or the defaults (not stored: reading never writes)."""
    row = session.get(SsoPolicy, POLICY_ID)
    return row if row is not None else SsoPolicy(id=POLICY_ID, local_passwords=True)


def get_policy(session: Session) -> PolicyView:
    row = _policy_row(session)
    workspace = (
        session.get(Workspace, row.new_user_workspace_id) if row.new_user_workspace_id else None
    )
    return PolicyView(
        local_passwords=row.local_passwords,
        new_user_workspace=workspace.key if workspace else None,
        new_user_role=row.new_user_role if workspace else None,
    )


def set_policy(
    session: Session,
    *,
    local_passwords: bool | None = None,
    new_user_workspace: str | None = None,
    new_user_role: str | None = None,
) -> PolicyView:
    """Change the policy. An empty workspace or the role ``none`` means: no access at first
    sign-in; ``None`` leaves that part as it is."""
    row = session.get(SsoPolicy, POLICY_ID)
    if row is None:
        row = SsoPolicy(id=POLICY_ID, local_passwords=True)
        session.add(row)
    if local_passwords is not None:
        row.local_passwords = local_passwords
    if new_user_workspace is not None or new_user_role is not None:
        workspace_key = new_user_workspace if new_user_workspace is not None else ""
        role = (new_user_role or "none").strip().lower()
        if not workspace_key.strip() or role == "none":
            row.new_user_workspace_id, row.new_user_role = None, None
        else:
            row.new_user_workspace_id = get_workspace(session, workspace_key.strip()).id
            row.new_user_role = accounts.parse_role(role).value
    session.flush()
    return get_policy(session)


def passwords_allowed(session: Session, email: str) -> bool:
    """Whether this e-mail may sign in with a password: always while local passwords are on;
    only instance administrators (the break-glass accounts) once they are off."""
    if _policy_row(session).local_passwords:
        return True
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    return bool(user and user.is_superuser)


def local_passwords_on(session: Session) -> bool:
    return _policy_row(session).local_passwords


def _group_name(group: str) -> str:
    name = group.strip()
    if not name or len(name) > MAX_GROUP_LENGTH:
        raise ValidationError.single("group", f"must be 1 to {MAX_GROUP_LENGTH} characters", group)
    return name


def set_group_role(session: Session, *, group: str, workspace: str, role: str) -> GroupRole:
    name = _group_name(group)
    parsed = accounts.parse_role(role.strip().lower())
    found = get_workspace(session, workspace.strip())
    row = session.scalar(
        select(SsoGroupRole).where(
            SsoGroupRole.group_name == name, SsoGroupRole.workspace_id == found.id
        )
    )
    if row is None:
        row = SsoGroupRole(group_name=name, workspace_id=found.id, role=parsed.value)
        session.add(row)
    row.role = parsed.value
    session.flush()
    return GroupRole(name, found.key, parsed.value)


def remove_group_role(session: Session, *, group: str, workspace: str) -> None:
    found = get_workspace(session, workspace.strip())
    row = session.scalar(
        select(SsoGroupRole).where(
            SsoGroupRole.group_name == group.strip(), SsoGroupRole.workspace_id == found.id
        )
    )
    if row is None:
        raise NotFoundError(f"No mapping of group {group!r} in workspace {workspace!r}")
    session.delete(row)
    session.flush()


def list_group_roles(session: Session) -> list[GroupRole]:
    rows = session.execute(
        select(SsoGroupRole.group_name, Workspace.key, SsoGroupRole.role)
        .join(Workspace, Workspace.id == SsoGroupRole.workspace_id)
        .order_by(SsoGroupRole.group_name, Workspace.key)
    )
    return [GroupRole(group, key, role) for group, key, role in rows]


def _linked_user(session: Session, identity: Identity) -> User | None:
    user = session.scalar(
        select(User).where(
            User.oidc_issuer == identity.issuer, User.oidc_subject == identity.subject
        )
    )
    if user is not None:
        return user
    user = session.scalar(select(User).where(User.email == identity.email))
    if user is None:
        return None
    if user.oidc_subject is not None:
        raise ConflictError(
            f"The account {identity.email!r} is linked to another identity-provider account"
        ).keyed("sso.error.linked_elsewhere", email=identity.email)
    # The provider vouched for this e-mail (email_verified): it is the same person.
    user.oidc_issuer, user.oidc_subject = identity.issuer, identity.subject
    return user


def _new_user(session: Session, identity: Identity) -> User:
    user = accounts.create_user(session, email=identity.email, password=None, name=identity.name)
    user.oidc_issuer, user.oidc_subject = identity.issuer, identity.subject
    policy = _policy_row(session)
    if policy.new_user_workspace_id and policy.new_user_role:
        session.add(
            Membership(
                user_id=user.id,
                workspace_id=policy.new_user_workspace_id,
                role=policy.new_user_role,
            )
        )
    session.flush()
    return user


def _mapped_roles(session: Session, groups: tuple[str, ...]) -> dict[int, Role | None]:
    """For every workspace some mapping names: the best role the user's groups give there."""
    best: dict[int, Role | None] = {}
    for mapping in session.scalars(select(SsoGroupRole)):
        current = best.setdefault(mapping.workspace_id, None)
        if mapping.group_name in groups:
            role = Role(mapping.role)
            if current is None or role.level > current.level:
                best[mapping.workspace_id] = role
    return best


def _apply_group_roles(session: Session, user: User, groups: tuple[str, ...]) -> None:
    for workspace_id, role in _mapped_roles(session, groups).items():
        membership = session.scalar(
            select(Membership).where(
                Membership.user_id == user.id, Membership.workspace_id == workspace_id
            )
        )
        if role is not None and membership is None:
            session.add(Membership(user_id=user.id, workspace_id=workspace_id, role=role.value))
        elif membership is not None and (role is None or membership.role != role.value):
            workspace = session.get(Workspace, workspace_id)
            if workspace is None:  # the foreign key makes this impossible
                continue
            try:
                if role is None:
                    accounts.remove_member(session, workspace=workspace, user_id=user.id)
                else:
                    accounts.change_member_role(
                        session, workspace=workspace, user_id=user.id, role=role.value
                    )
            except ConflictError:
                continue  # the workspace's last admin stays admin
            audit.record(
                session,
                actor=None,
                action=audit.Action.MEMBER_REMOVED
                if role is None
                else audit.Action.MEMBER_ROLE_CHANGED,
                workspace=workspace,
                target=audit.Target("member", user.id),
                details={"by": "sso_groups", "role": role.value if role else None},
            )
    session.flush()


def sign_in(session: Session, identity: Identity) -> SignIn:
    """Find, link or create the user for a verified identity and apply the role rules."""
    user = _linked_user(session, identity)
    created = user is None
    if user is None:
        user = _new_user(session, identity)
    _apply_group_roles(session, user, identity.groups)
    has_access = user.is_superuser or (
        session.scalar(select(Membership.id).where(Membership.user_id == user.id).limit(1))
        is not None
    )
    return SignIn(principal=accounts.principal_of(user), created=created, has_access=has_access)
