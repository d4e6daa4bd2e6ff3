"""Workspaces (one per brand or business unit), their pillar framework and segments."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Protocol

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from cxgap.db.tables import Membership, Pillar, Segment, Workspace
from cxgap.errors import ConflictError, FieldProblem, NotFoundError, ValidationError
from cxgap.pillars import DEFAULT_PILLARS
from cxgap.services.accounts import Principal
from cxgap.services.slugs import free_key


class HasWorkspace(Protocol):
    workspace_id: int


KEY_LIMIT = 63
KEY_PATTERN = re.compile(rf"^[a-z][a-z0-9_-]{{0,{KEY_LIMIT - 1}}}$")


def check_key(field: str, value: str) -> str:
    """Keys appear in URLs and CSV headers: lower-case letters, digits, '-' and '_'.

    The problem is coded ``key_format`` (message ``web.problem.key_format``, with the length
    ``limit``), so that every front end says it in its reader's language."""
    value = value.strip()
    if not KEY_PATTERN.match(value):
        problem = FieldProblem(
            field,
            f"must start with a lower-case letter and use only a-z, 0-9, '-' and '_' "
            f"(at most {KEY_LIMIT} characters)",
            value,
            code="key_format",
            params={"limit": KEY_LIMIT},
        )
        raise ValidationError([problem])
    return value


def bump_revision(session: Session, workspace_id: int) -> None:
    """Mark the workspace's results as stale (every write that changes them calls this)."""
    session.execute(
        update(Workspace)
        .where(Workspace.id == workspace_id)
        .values(data_revision=Workspace.data_revision + 1)
    )


def create_workspace(session: Session, *, key: str, name: str) -> Workspace:
    """A workspace with the default 10-pillar framework (seed 000); an empty ``key`` is
    derived from the name (``services.slugs``)."""
    key = check_key("key", key.strip() or free_key(session, Workspace.key, name, fallback="ws"))
    if not name.strip():
        raise ValidationError.single("name", "is required", code="required")
    if session.scalar(select(Workspace.id).where(Workspace.key == key)) is not None:
        raise ConflictError(f"A workspace with key {key!r} already exists").keyed(
            "i18n_round2.key_taken.workspace", key=key
        )
    workspace = Workspace(key=key, name=name.strip())
    session.add(workspace)
    session.flush()
    for position, pillar in enumerate(DEFAULT_PILLARS, start=1):
        session.add(
            Pillar(
                workspace_id=workspace.id,
                key=pillar.key,
                name_en=pillar.name_en,
                name_fr=pillar.name_fr,
                description_en=pillar.description_en,
                description_fr=pillar.description_fr,
                prompt_en=pillar.prompt_en,
                prompt_fr=pillar.prompt_fr,
                position=position,
            )
        )
    session.flush()
    return workspace


def get_workspace(session: Session, key: str) -> Workspace:
    workspace = session.scalar(select(Workspace).where(Workspace.key == key))
    if workspace is None:
        raise NotFoundError(f"No workspace {key!r}")
    return workspace


def workspace_of(session: Session, item: HasWorkspace) -> Workspace:
    """The workspace a survey, campaign or other owned row belongs to."""
    workspace = session.get(Workspace, item.workspace_id)
    if workspace is None:  # the foreign key makes this impossible
        raise NotFoundError(f"No workspace with id {item.workspace_id}")
    return workspace


def find_workspace(session: Session, key: str) -> Workspace | None:
    return session.scalar(select(Workspace).where(Workspace.key == key))


def list_workspaces(session: Session) -> list[Workspace]:
    return list(session.scalars(select(Workspace).order_by(Workspace.key)))


def workspaces_for(session: Session, principal: Principal) -> list[tuple[Workspace, str]]:
    """Workspaces the user may open, with the user's role in each."""
    if principal.is_superuser:
        return [(w, "admin") for w in session.scalars(select(Workspace).order_by(Workspace.name))]
    rows = session.execute(
        select(Workspace, Membership.role)
        .join(Membership, Membership.workspace_id == Workspace.id)
        .where(Membership.user_id == principal.user_id)
        .order_by(Workspace.name)
    )
    return [(w, role) for w, role in rows]


def pillars_of(
    session: Session, workspace: Workspace, *, include_retired: bool = False
) -> list[Pillar]:
    query = select(Pillar).where(Pillar.workspace_id == workspace.id)
    if not include_retired:
        query = query.where(Pillar.retired_at.is_(None))
    return list(session.scalars(query.order_by(Pillar.position, Pillar.id)))


def add_pillar(
    session: Session,
    *,
    workspace: Workspace,
    key: str,
    name_en: str,
    name_fr: str,
    description_en: str = "",
    description_fr: str = "",
    prompt_en: str = "",
    prompt_fr: str = "",
) -> Pillar:
    key = check_key("key", key)
    for field, value in (("name_en", name_en), ("name_fr", name_fr)):
        if not value.strip():
            raise ValidationError.single(field, "is required", code="required")
    existing = session.scalar(
        select(Pillar).where(Pillar.workspace_id == workspace.id, Pillar.key == key)
    )
    if existing is not None:
        message = f"Pillar {key!r} already exists in workspace {workspace.key!r}"
        raise ConflictError(message).keyed("i18n_round2.key_taken.pillar", key=key)
    position = (
        session.scalar(select(func.max(Pillar.position)).where(Pillar.workspace_id == workspace.id))
        or 0
    ) + 1
    pillar = Pillar(
        workspace_id=workspace.id,
        key=key,
        name_en=name_en.strip(),
        name_fr=name_fr.strip(),
        description_en=description_en.strip(),
        description_fr=description_fr.strip(),
        prompt_en=prompt_en.strip(),
        prompt_fr=prompt_fr.strip(),
        position=position,
    )
    session.add(pillar)
    session.flush()
    bump_revision(session, workspace.id)
    return pillar


def get_pillar(session: Session, workspace: Workspace, key: str) -> Pillar:
    pillar = session.scalar(
        select(Pillar).where(Pillar.workspace_id == workspace.id, Pillar.key == key)
    )
    if pillar is None:
        raise NotFoundError(f"No pillar {key!r} in workspace {workspace.key!r}")
    return pillar


def rename_pillar(
    session: Session, *, workspace: Workspace, key: str, name_en: str, name_fr: str
) -> Pillar:
    pillar = get_pillar(session, workspace, key)
    for field, value in (("name_en", name_en), ("name_fr", name_fr)):
        if not value.strip():
            raise ValidationError.single(field, "is required", code="required")
    pillar.name_en, pillar.name_fr = name_en.strip(), name_fr.strip()
    bump_revision(session, workspace.id)
    return pillar


def set_pillar_retired(
    session: Session, *, workspace: Workspace, key: str, retired: bool
) -> Pillar:
    """Retire (stop asking about) or restore a pillar; its answers are kept either way."""
    pillar = get_pillar(session, workspace, key)
    pillar.retired_at = datetime.now(UTC) if retired else None
    bump_revision(session, workspace.id)
    return pillar


def segments_of(session: Session, workspace: Workspace) -> list[Segment]:
    return list(
        session.scalars(
            select(Segment)
            .where(Segment.workspace_id == workspace.id)
            .order_by(Segment.position, Segment.id)
        )
    )


def add_segments(
    session: Session, *, workspace: Workspace, segments: Sequence[tuple[str, str, str]]
) -> None:
    """Add (key, name_en, name_fr) segments, skipping keys that already exist."""
    existing = {s.key for s in segments_of(session, workspace)}
    for position, (key, name_en, name_fr) in enumerate(segments, start=len(existing) + 1):
        if check_key("segment", key) in existing:
            continue
        session.add(
            Segment(
                workspace_id=workspace.id,
                key=key,
                name_en=name_en,
                name_fr=name_fr,
                position=position,
            )
        )
    session.flush()
