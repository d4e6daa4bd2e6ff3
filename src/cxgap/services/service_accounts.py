"""Service accounts (the customers or companies of the menu) and the tier each pays for."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap.db.tables import ServiceAccount, Workspace
from cxgap.errors import NotFoundError
from cxgap.services.contact_masking import stored_optional_text

ACCOUNT_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,99}$")


@dataclass(frozen=True)
class AccountView:
    key: str
    name: str
    tier: str | None
    contact: str | None


def _view(row: ServiceAccount) -> AccountView:
    return AccountView(row.key, row.name, row.tier, row.contact)


def list_accounts(session: Session, *, workspace: Workspace) -> list[AccountView]:
    rows = session.scalars(
        select(ServiceAccount)
        .where(ServiceAccount.workspace_id == workspace.id)
        .order_by(ServiceAccount.key)
    ).all()
    return [_view(r) for r in rows]


def accounts_by_tier(session: Session, *, workspace: Workspace) -> dict[str, list[str]]:
    by_tier: dict[str, list[str]] = {}
    for account in list_accounts(session, workspace=workspace):
        if account.tier is not None:
            by_tier.setdefault(account.tier, []).append(account.key)
    return by_tier


def _find(session: Session, workspace: Workspace, key: str) -> ServiceAccount | None:
    return session.scalars(
        select(ServiceAccount).where(
            ServiceAccount.workspace_id == workspace.id, ServiceAccount.key == key
        )
    ).first()


def _tier_names(session: Session, workspace: Workspace) -> list[str]:
    from cxgap.services.service_levels import load_service_levels

    document = load_service_levels(session, workspace=workspace).document
    return [str(t.get("name")) for t in document.get("tiers") or []]


def save_account(
    session: Session,
    *,
    workspace: Workspace,
    key: str,
    name: str,
    tier: str | None,
    contact: str | None = None,
) -> AccountView:
    """Create or update an account; ``tier`` must be a tier of the menu (or None)."""
    from cxgap.services.service_levels import refuse

    key, name = key.strip(), name.strip()
    if not ACCOUNT_KEY.match(key):
        raise refuse("key", "account_key", key)
    if not name or len(name) > 200:
        raise refuse("name", "account_name", name)
    tier = (tier or "").strip() or None
    tiers = _tier_names(session, workspace)
    if tier is not None and tier not in tiers:
        raise refuse("tier", "choice", tier, choices=", ".join(tiers))
    contact = (contact or "").strip() or None
    if contact is not None and len(contact) > 320:
        raise refuse("contact", "too_long", contact[:40] + "…", limit=320)
    row = _find(session, workspace, key)
    if row is None:
        row = ServiceAccount(workspace_id=workspace.id, key=key)
        session.add(row)
    row.name, row.tier = name, tier
    row.contact = stored_optional_text(session, contact)
    session.flush()
    return _view(row)


def delete_account(session: Session, *, workspace: Workspace, key: str) -> None:
    row = _find(session, workspace, key)
    if row is None:
        raise NotFoundError(f"no service account {key!r}")
    session.delete(row)
    session.flush()


def assign_tiers(session: Session, *, workspace: Workspace, assigned: dict[str, str]) -> None:
    """Put each account on its tier (a MENU.json's ``accounts``), creating unknown ones."""
    from cxgap.services.service_levels import refuse

    for key, tier in assigned.items():
        if not ACCOUNT_KEY.match(key):
            raise refuse(f"tiers[{tier}].accounts", "account_key", key)
        row = _find(session, workspace, key)
        if row is None:
            session.add(ServiceAccount(workspace_id=workspace.id, key=key, name=key, tier=tier))
        else:
            row.tier = tier
    session.flush()
