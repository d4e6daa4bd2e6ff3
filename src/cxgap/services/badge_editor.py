"""The team's badges editor (``docs/community.md``, "The badges editor"): the workspace's
badges listed with how many people hold each, created, edited, disabled or deleted, with a
bundled icon or an uploaded image. A change that can change who holds a badge (a new badge,
its rule, repeatable or not, disabled or enabled again) is reported to the caller, who
queues the ``badges`` job for the workspace (``jobs.badges.queue_badges``): awarding and
revoking happen in the background, never in the request."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from cxgap.community.badge_edits import BadgeDraft
from cxgap.community.badge_images import BadgePicture
from cxgap.db.tables import BadgeAward, BadgeDefinition, BadgeImage, Workspace
from cxgap.errors import NotFoundError
from cxgap.services.community_reputation import badges_of
from cxgap.services.slugs import slugify

KEY_LENGTH = 40


@dataclass(frozen=True)
class BadgeLine:
    badge: BadgeDefinition
    holders: int  # people holding at least one copy now


def badge_lines(session: Session, workspace: Workspace) -> list[BadgeLine]:
    """The workspace's badges (the defaults stored on first use) with their holders."""
    rows = badges_of(session, workspace)
    query = (
        select(BadgeAward.badge_id, func.count(func.distinct(BadgeAward.person_id)))
        .where(BadgeAward.badge_id.in_([r.id for r in rows]), BadgeAward.revoked_at.is_(None))
        .group_by(BadgeAward.badge_id)
    )
    holders = {badge_id: count for badge_id, count in session.execute(query)}
    return [BadgeLine(row, holders.get(row.id, 0)) for row in rows]


def badge_of(session: Session, workspace: Workspace, badge_id: int) -> BadgeDefinition:
    row = session.get(BadgeDefinition, badge_id)
    if row is None or row.workspace_id != workspace.id:
        raise NotFoundError(f"No badge {badge_id}").keyed(
            "community_admin.error.no_badge", id=badge_id
        )
    return row


def _free_key(session: Session, workspace: Workspace, name: str) -> str:
    query = select(BadgeDefinition.key).where(BadgeDefinition.workspace_id == workspace.id)
    taken = set(session.scalars(query))
    base = slugify(name, fallback="badge", max_length=KEY_LENGTH - 3).replace("-", "_")
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key


def _store_picture(session: Session, workspace: Workspace, picture: BadgePicture) -> int:
    image = BadgeImage(
        workspace_id=workspace.id,
        media_type="image/png",
        width=picture.width,
        height=picture.height,
        data=picture.png,
        sha256=hashlib.sha256(picture.png).hexdigest(),
    )
    session.add(image)
    session.flush()
    return image.id


def _drop_image(session: Session, image_id: int | None) -> None:
    """Delete an uploaded image no badge shows any more."""
    if image_id is None:
        return
    used = select(BadgeDefinition.id).where(BadgeDefinition.image_id == image_id)
    if session.scalar(used.limit(1)) is None:
        session.execute(delete(BadgeImage).where(BadgeImage.id == image_id))


def create_badge(
    session: Session,
    *,
    workspace: Workspace,
    draft: BadgeDraft,
    picture: BadgePicture | None = None,
) -> BadgeDefinition:
    """A new active badge (the caller queues the job that awards it)."""
    badges_of(session, workspace)  # the defaults first, so they keep their keys
    row = BadgeDefinition(
        workspace_id=workspace.id,
        key=_free_key(session, workspace, draft.name_en),
        name_en=draft.name_en,
        name_fr=draft.name_fr,
        description_en=draft.description_en,
        description_fr=draft.description_fr,
        image=draft.icon,
        image_id=None if picture is None else _store_picture(session, workspace, picture),
        rule=draft.rule.text,
        repeatable=draft.repeatable,
        active=True,
    )
    session.add(row)
    session.flush()
    return row


def update_badge(
    session: Session,
    *,
    workspace: Workspace,
    badge_id: int,
    draft: BadgeDraft,
    picture: BadgePicture | None = None,
    use_icon: bool = False,
) -> tuple[BadgeDefinition, bool]:
    """Save the badge; ``picture`` replaces its uploaded image, ``use_icon`` goes back to the
    bundled icon. True when who holds it may change (its rule, repeatable): award again."""
    row = badge_of(session, workspace, badge_id)
    awarding_changed = row.rule != draft.rule.text or row.repeatable != draft.repeatable
    row.name_en, row.name_fr = draft.name_en, draft.name_fr
    row.description_en, row.description_fr = draft.description_en, draft.description_fr
    row.rule, row.repeatable, row.image = draft.rule.text, draft.repeatable, draft.icon
    old_image = row.image_id
    if picture is not None:
        row.image_id = _store_picture(session, workspace, picture)
    elif use_icon:
        row.image_id = None
    session.flush()
    if row.image_id != old_image:
        _drop_image(session, old_image)
    return row, awarding_changed


def set_active(session: Session, *, workspace: Workspace, badge_id: int, active: bool) -> bool:
    """Disable a badge (the job revokes every copy; the history stays) or enable it again;
    True when that changed anything (award again)."""
    row = badge_of(session, workspace, badge_id)
    if row.active == active:
        return False
    row.active = active
    session.flush()
    return True


def delete_badge(session: Session, *, workspace: Workspace, badge_id: int) -> None:
    """Delete a badge and every copy awarded, revoked ones included (disable it to keep
    the history)."""
    row = badge_of(session, workspace, badge_id)
    image_id = row.image_id
    session.execute(delete(BadgeAward).where(BadgeAward.badge_id == row.id))
    session.delete(row)
    session.flush()
    _drop_image(session, image_id)


def uploaded_images(session: Session, workspace: Workspace) -> dict[str, int]:
    """Each badge key's uploaded image id, for the badges that show one."""
    query = select(BadgeDefinition.key, BadgeDefinition.image_id).where(
        BadgeDefinition.workspace_id == workspace.id, BadgeDefinition.image_id.is_not(None)
    )
    return {key: image_id for key, image_id in session.execute(query) if image_id is not None}


def image_of(session: Session, workspace: Workspace, image_id: int) -> BadgeImage:
    """An uploaded image of the workspace, or NotFoundError (another workspace's too)."""
    image = session.get(BadgeImage, image_id)
    if image is None or image.workspace_id != workspace.id:
        raise NotFoundError(f"No badge image {image_id}")
    return image
