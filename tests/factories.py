"""Builders for test data: small, explicit, and valid unless asked otherwise."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from cxgap.db.tables import Workspace
from cxgap.pillars import DEFAULT_PILLARS
from cxgap.services import accounts
from cxgap.services.workspaces import add_segments, create_workspace

PASSWORD = "correct horse battery"
PILLAR_KEYS = [p.key for p in DEFAULT_PILLARS]


def make_workspace(session: Session, key: str = "acme", name: str = "Acme") -> Workspace:
    workspace = create_workspace(session, key=key, name=name)
    add_segments(
        session,
        workspace=workspace,
        segments=[("pro", "Professionals", "Professionnels"), ("home", "Households", "Ménages")],
    )
    return workspace


def make_user(
    session: Session,
    email: str = "ana@example.com",
    *,
    workspace: Workspace | None = None,
    role: str = "analyst",
    superuser: bool = False,
) -> str:
    accounts.create_user(session, email=email, password=PASSWORD, is_superuser=superuser)
    if workspace is not None:
        accounts.set_membership(session, workspace=workspace, email=email, role=role)
    return email


def customer_form(importance: int = 4, performance: int = 3, **overrides: Any) -> dict[str, Any]:
    """A complete, valid customer survey answer as flat form fields."""
    form: dict[str, Any] = {}
    for key in PILLAR_KEYS:
        form[f"{key}_importance"] = importance
        form[f"{key}_performance"] = performance
    form.update(nps=8, csat=4, ces=6, birth_year=1980, comment="Fine overall.", consent="true")
    form.update(overrides)
    return {k: v for k, v in form.items() if v is not None}


def internal_form(current: int = 4, desired: int = 5, **overrides: Any) -> dict[str, Any]:
    """A complete, valid self-assessment: ranks follow the default pillar order."""
    form: dict[str, Any] = {}
    for rank, key in enumerate(PILLAR_KEYS, start=1):
        form[f"{key}_current"] = current
        form[f"{key}_desired"] = desired
        form[f"{key}_rank"] = rank
    form.update(department="Marketing", respondent="Ana")
    form.update(overrides)
    return {k: v for k, v in form.items() if v is not None}
