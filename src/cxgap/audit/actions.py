"""The kinds of audit events (their names are stored: never rename one)."""

from __future__ import annotations

from enum import StrEnum


class Action(StrEnum):
    SIGN_IN = "auth.sign_in"
    SIGN_IN_FAILED = "auth.sign_in_failed"
    SIGN_OUT = "auth.sign_out"
    PASSWORD_CHANGED = "account.password_changed"
    PASSWORD_RESET_REQUIRED = "member.password_reset_required"
    SESSION_REVOKED = "session.revoked"
    MEMBER_ADDED = "member.added"
    MEMBER_ROLE_CHANGED = "member.role_changed"
    MEMBER_REMOVED = "member.removed"
    TOKEN_CREATED = "token.created"
    EXPORTED = "data.exported"
    DELETED = "data.deleted"
    SSO_POLICY_CHANGED = "sso.policy_changed"
    JOB_RETRIED = "job.retried"
    JOB_CANCELLED = "job.cancelled"
    SERVICE_LEVELS_CHANGED = "service_levels.changed"
    SERVICE_MENU_PUBLISHED = "service_menu.published"
    SERVICE_MENU_WITHDRAWN = "service_menu.withdrawn"
    ACTION_CREATED = "action.created"
    ACTION_UPDATED = "action.updated"
    ACTION_STATUS_CHANGED = "action.status_changed"
    INTEGRITY_CHOICE = "integrity.choice"
    IDEA_LINKED = "idea.linked"
    IDEA_UNLINKED = "idea.unlinked"


ACTIONS: tuple[str, ...] = tuple(action.value for action in Action)
