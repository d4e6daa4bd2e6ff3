"""A workspace's service levels: its calendar, ordered SLA policies and service menu.

Stored in the contract's own JSON form (``docs/sla.md``), validated by ``sla.documents``
before it is saved, each replaced version kept (who, when), so a change is auditable. The
accounts of each tier live in ``service_accounts`` (``services.service_accounts``); the
document handed to the engine (``stored_menu``) gets them back in its tiers.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap.db.tables import (
    ServiceAccount,
    ServiceLevelDocument,
    ServiceLevelVersion,
    User,
    Workspace,
    utcnow,
)
from cxgap.errors import ConflictError, FieldProblem, NotFoundError, ValidationError
from cxgap.i18n import translate
from cxgap.services import service_level_audit
from cxgap.services.core import Cxgap
from cxgap.sla.credits import Menu
from cxgap.sla.defaults import default_document
from cxgap.sla.documents import read_menu
from cxgap.sla.policy import PolicySet
from cxgap.sla.reading import Reader

SOURCE = "service levels"
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$")


@dataclass(frozen=True)
class ServiceLevels:
    """The stored document (``version`` 0: the default, never saved) and its publication."""

    document: dict[str, Any]
    version: int
    updated_by: str | None
    updated_at: datetime | None
    published: bool
    public_slug: str | None


@dataclass(frozen=True)
class PastVersion:
    version: int
    updated_by: str | None
    updated_at: datetime


def refuse(path: str, code: str, value: object, **params: object) -> ValidationError:
    """A problem said like the engine's (``sla.reason.<code>``), naming the JSON path."""
    message = translate(f"sla.reason.{code}", "en", **params)
    problem = FieldProblem(
        path, message, value, source=SOURCE, code=code, params={"code": code, **params}
    )
    return ValidationError([problem], summary=f"{SOURCE} cannot be saved")


def validate_document(document: object, source: str = SOURCE) -> Menu:
    """The engine's reading of the document, plus what a stored menu needs: unique tier
    names and a list of priorities. Raises ``ValidationError`` naming the JSON path."""
    menu = read_menu(Reader(source), document)
    seen: set[str] = set()
    for i, tier in enumerate(menu.tiers):
        if tier.name in seen:
            raise refuse(f"tiers[{i}].name", "duplicate_tier", tier.name)
        seen.add(tier.name)
    reader = Reader(source)
    priorities = reader.mapping(document, "").get("priorities") or []
    for i, value in enumerate(reader.items(priorities, "priorities")):
        reader.text(value, f"priorities[{i}]")
    return menu


def _row(session: Session, workspace: Workspace) -> ServiceLevelDocument | None:
    return session.get(ServiceLevelDocument, workspace.id)


def _email(session: Session, user_id: int | None) -> str | None:
    user = None if user_id is None else session.get(User, user_id)
    return None if user is None else user.email


def load_service_levels(session: Session, *, workspace: Workspace) -> ServiceLevels:
    """The workspace's document, or the default one (version 0) until it saves its own."""
    row = _row(session, workspace)
    if row is None:
        return ServiceLevels(default_document(), 0, None, None, False, None)
    return ServiceLevels(
        json.loads(row.document),
        row.version,
        _email(session, row.updated_by_id),
        row.updated_at,
        row.published,
        row.public_slug,
    )


def _without_accounts(document: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The document as stored (tiers without accounts) and the accounts it assigns."""
    assigned: dict[str, str] = {}
    tiers = []
    for tier in document.get("tiers") or []:
        tier = dict(tier)
        for account in tier.pop("accounts", None) or []:
            assigned[str(account)] = str(tier["name"])
        tiers.append(tier)
    return {**document, "tiers": tiers}, assigned


def _assigned_elsewhere(
    session: Session, workspace: Workspace, tiers: set[str], assigned: dict[str, str]
) -> None:
    """Refuse removing a tier that accounts still pay for (checked before anything is
    written, so a refused save leaves the accounts as they were)."""
    orphans = session.scalars(
        select(ServiceAccount)
        .where(ServiceAccount.workspace_id == workspace.id, ServiceAccount.tier.is_not(None))
        .order_by(ServiceAccount.key)
    ).all()
    for account in orphans:
        if account.tier not in tiers and account.key not in assigned:
            raise refuse("tiers", "tier_in_use", account.tier, account=account.key)


def save_document(
    session: Session,
    *,
    workspace: Workspace,
    document: object,
    user_id: int | None,
    expected_version: int | None = None,
) -> ServiceLevels:
    """Validate and store ``document``; the version it replaces goes to the history.

    Accounts listed in the tiers (a whole MENU.json imported) are assigned to them, created
    when new. ``expected_version`` (the version the editor started from) refuses a save over
    someone else's change with ``ConflictError``."""
    validate_document(document)
    stored, assigned = _without_accounts(Reader(SOURCE).mapping(document, ""))
    row = _row(session, workspace)
    current = 0 if row is None else row.version
    if expected_version is not None and expected_version != current:
        raise ConflictError(
            f"the service levels changed meanwhile (version {current}, "
            f"edited from {expected_version})"
        )
    from cxgap.services.service_accounts import assign_tiers

    _assigned_elsewhere(session, workspace, {str(t["name"]) for t in stored["tiers"]}, assigned)
    assign_tiers(session, workspace=workspace, assigned=assigned)
    text = json.dumps(stored, ensure_ascii=False, sort_keys=False)
    before = None if row is None else json.loads(row.document)
    summary = service_level_audit.change_summary(before, stored, len(assigned))
    if row is None:
        row = ServiceLevelDocument(
            workspace_id=workspace.id, document=text, version=1, published=False
        )
        session.add(row)
    else:
        session.add(
            ServiceLevelVersion(
                workspace_id=workspace.id,
                version=row.version,
                document=row.document,
                updated_by_id=row.updated_by_id,
                updated_at=row.updated_at,
            )
        )
        row.document, row.version = text, row.version + 1
    row.updated_by_id, row.updated_at = user_id, utcnow()
    session.flush()
    service_level_audit.record_saved(
        session, workspace=workspace, user_id=user_id, version=row.version, summary=summary
    )
    return load_service_levels(session, workspace=workspace)


def history(session: Session, *, workspace: Workspace) -> list[PastVersion]:
    """The replaced versions, the latest first."""
    rows = session.scalars(
        select(ServiceLevelVersion)
        .where(ServiceLevelVersion.workspace_id == workspace.id)
        .order_by(ServiceLevelVersion.version.desc())
    ).all()
    return [PastVersion(r.version, _email(session, r.updated_by_id), r.updated_at) for r in rows]


def past_document(session: Session, *, workspace: Workspace, version: int) -> dict[str, Any]:
    row = session.scalars(
        select(ServiceLevelVersion).where(
            ServiceLevelVersion.workspace_id == workspace.id,
            ServiceLevelVersion.version == version,
        )
    ).first()
    if row is None:
        raise NotFoundError(f"no version {version} of the service levels")
    document: dict[str, Any] = json.loads(row.document)
    return document


def set_publication(
    session: Session, *, workspace: Workspace, published: bool, slug: str, user_id: int | None
) -> ServiceLevels:
    """Publish (or withdraw) the service menu at ``/menu/<slug>``; the default document is
    saved first, so that what is published is a stored version."""
    slug = slug.strip().lower()
    if published or slug:
        if not SLUG.match(slug):
            raise refuse("public_slug", "slug", slug)
        taken = session.scalars(
            select(ServiceLevelDocument).where(
                ServiceLevelDocument.public_slug == slug,
                ServiceLevelDocument.workspace_id != workspace.id,
            )
        ).first()
        if taken is not None:
            raise refuse("public_slug", "slug_taken", slug)
    row = _row(session, workspace)
    if row is None:
        current = load_service_levels(session, workspace=workspace)
        save_document(session, workspace=workspace, document=current.document, user_id=user_id)
        row = session.get(ServiceLevelDocument, workspace.id, populate_existing=True)
        if row is None:  # pragma: no cover - save_document just stored it
            raise NotFoundError("the service levels were not stored")
    if (row.published, row.public_slug) != (published, slug or None):
        service_level_audit.record_publication(
            session, workspace=workspace, user_id=user_id, published=published, slug=slug
        )
    row.published, row.public_slug = published, slug or None
    session.flush()
    return load_service_levels(session, workspace=workspace)


def published_levels(session: Session, slug: str) -> tuple[Workspace, ServiceLevels]:
    """The workspace whose menu is published at ``slug`` (404 when none, or withdrawn)."""
    row = session.scalars(
        select(ServiceLevelDocument).where(
            ServiceLevelDocument.public_slug == slug.lower(),
            ServiceLevelDocument.published.is_(True),
        )
    ).first()
    workspace = None if row is None else session.get(Workspace, row.workspace_id)
    if workspace is None:
        raise NotFoundError(f"no service menu is published at {slug!r}")
    return workspace, load_service_levels(session, workspace=workspace)


def full_document(session: Session, *, workspace: Workspace) -> dict[str, Any]:
    """The document with each tier's accounts: a MENU.json ``cxgap credits compute`` reads."""
    from cxgap.services.service_accounts import accounts_by_tier

    document = load_service_levels(session, workspace=workspace).document
    by_tier = accounts_by_tier(session, workspace=workspace)
    tiers = [{**t, "accounts": by_tier.get(str(t.get("name")), [])} for t in document["tiers"]]
    return {**document, "tiers": tiers}


def menu_of(session: Session, workspace_id: int) -> Menu | None:
    workspace = session.get(Workspace, workspace_id)
    if workspace is None:
        return None
    return read_menu(Reader(SOURCE), full_document(session, workspace=workspace))


def stored_menu(cx: Cxgap, workspace_id: int) -> Menu | None:
    """The workspace's menu with its accounts (the default menu until it saves its own);
    None for a workspace that does not exist."""
    with cx.reading() as session:
        return menu_of(session, workspace_id)


def stored_policy_set(cx: Cxgap, workspace_id: int) -> PolicySet | None:
    """The workspace's calendar and policies, in order (the default ones until it saves its
    own: the last is seed 000's same-day first response); None for an unknown workspace."""
    menu = stored_menu(cx, workspace_id)
    return None if menu is None else menu.policies
