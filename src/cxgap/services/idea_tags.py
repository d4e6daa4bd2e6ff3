"""The idea board's tags (``docs/community.md``): the team creates them (names in English and
French, a palette colour), renames or deletes them, and puts them on ideas; the public board
shows each idea's tags and filters by them (``?tag=<key>``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from cxgap.community.tags import TagSpec
from cxgap.db.tables import IdeaTag, IdeaTagLink, Workspace
from cxgap.errors import FieldProblem, NotFoundError, ValidationError
from cxgap.services.idea_statuses import idea_of
from cxgap.services.slugs import slugify

KEY_LENGTH = 40


@dataclass(frozen=True)
class TagLabel:
    """A tag as a page shows it, in the reader's language."""

    id: int
    key: str
    name: str
    colour: str


def label(tag: IdeaTag, locale: str) -> TagLabel:
    return TagLabel(tag.id, tag.key, tag.name_fr if locale == "fr" else tag.name_en, tag.colour)


def tags(session: Session, workspace: Workspace) -> list[IdeaTag]:
    """The board's tags by their English name."""
    query = select(IdeaTag).where(IdeaTag.workspace_id == workspace.id)
    return list(session.scalars(query.order_by(IdeaTag.name_en, IdeaTag.id)))


def usage(session: Session, workspace: Workspace) -> dict[int, int]:
    """How many ideas carry each tag."""
    query = (
        select(IdeaTagLink.tag_id, func.count())
        .join(IdeaTag, IdeaTag.id == IdeaTagLink.tag_id)
        .where(IdeaTag.workspace_id == workspace.id)
        .group_by(IdeaTagLink.tag_id)
    )
    return {tag_id: count for tag_id, count in session.execute(query)}


def tag_of(session: Session, workspace: Workspace, tag_id: int) -> IdeaTag:
    tag = session.get(IdeaTag, tag_id)
    if tag is None or tag.workspace_id != workspace.id:
        raise NotFoundError(f"No tag {tag_id}").keyed("community_admin.error.no_tag", id=tag_id)
    return tag


def _free_key(session: Session, workspace: Workspace, name: str) -> str:
    taken = set(session.scalars(select(IdeaTag.key).where(IdeaTag.workspace_id == workspace.id)))
    base = slugify(name, fallback="tag", max_length=KEY_LENGTH - 3)
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


def _same_name(session: Session, workspace: Workspace, spec: TagSpec, but: int | None) -> None:
    """A second tag with the same name in either language would read as the same tag."""
    for field, column, name in (
        ("name_en", IdeaTag.name_en, spec.name_en),
        ("name_fr", IdeaTag.name_fr, spec.name_fr),
    ):
        query = select(IdeaTag.id).where(
            IdeaTag.workspace_id == workspace.id, func.lower(column) == name.lower()
        )
        if but is not None:
            query = query.where(IdeaTag.id != but)
        if session.scalar(query) is not None:
            problem = FieldProblem(field, "is already the name of a tag", name, code="tag_taken")
            raise ValidationError([problem], summary="Invalid tag")


def create_tag(session: Session, *, workspace: Workspace, spec: TagSpec) -> IdeaTag:
    _same_name(session, workspace, spec, None)
    tag = IdeaTag(
        workspace_id=workspace.id,
        key=_free_key(session, workspace, spec.name_en),
        name_en=spec.name_en,
        name_fr=spec.name_fr,
        colour=spec.colour,
    )
    session.add(tag)
    session.flush()
    return tag


def update_tag(session: Session, *, workspace: Workspace, tag_id: int, spec: TagSpec) -> IdeaTag:
    """Rename or recolour a tag; its key (in the board's links) stays."""
    tag = tag_of(session, workspace, tag_id)
    _same_name(session, workspace, spec, tag.id)
    tag.name_en, tag.name_fr, tag.colour = spec.name_en, spec.name_fr, spec.colour
    session.flush()
    return tag


def delete_tag(session: Session, *, workspace: Workspace, tag_id: int) -> None:
    """Delete a tag; the ideas that carried it lose it."""
    tag = tag_of(session, workspace, tag_id)
    session.execute(delete(IdeaTagLink).where(IdeaTagLink.tag_id == tag.id))
    session.delete(tag)
    session.flush()


def set_idea_tags(
    session: Session, *, workspace: Workspace, idea_id: int, tag_ids: Iterable[int]
) -> list[IdeaTag]:
    """Put exactly these tags on the idea (an empty list takes them all off)."""
    idea = idea_of(session, workspace, idea_id)
    wanted = set(tag_ids)
    found = [tag for tag in tags(session, workspace) if tag.id in wanted]
    unknown = wanted - {tag.id for tag in found}
    if unknown:
        shown = ", ".join(str(i) for i in sorted(unknown))
        problem = FieldProblem("tags", "are not tags of this board", shown, code="tag_unknown")
        raise ValidationError([problem], summary="Invalid tags")
    session.execute(delete(IdeaTagLink).where(IdeaTagLink.idea_id == idea.id))
    session.add_all(IdeaTagLink(idea_id=idea.id, tag_id=tag.id) for tag in found)
    session.flush()
    return found


def tags_by_idea(
    session: Session, workspace: Workspace, locale: str, idea_ids: Iterable[int] | None = None
) -> dict[int, list[TagLabel]]:
    """Each idea's tags in the reader's language, by name (all the board's ideas by default)."""
    query = (
        select(IdeaTagLink.idea_id, IdeaTag)
        .join(IdeaTag, IdeaTag.id == IdeaTagLink.tag_id)
        .where(IdeaTag.workspace_id == workspace.id)
    )
    if idea_ids is not None:
        query = query.where(IdeaTagLink.idea_id.in_(list(idea_ids)))
    found: dict[int, list[TagLabel]] = defaultdict(list)
    for idea_id, tag in session.execute(query):
        found[idea_id].append(label(tag, locale))
    for labels in found.values():
        labels.sort(key=lambda item: (item.name.lower(), item.id))
    return dict(found)


# The demo's tags: (English, French, colour, the positions of the ideas that carry it among
# the demo's ideas by id; services/community_demo.IDEAS).
DEMO_TAGS = (
    ("Delivery", "Livraison", "#047857", (0, 1)),
    ("Returns and refunds", "Retours et remboursements", "#b45309", (2, 5)),
    ("App", "Application", "#7e22ce", (1, 4)),
    ("Customer service", "Service client", "#2563eb", (3,)),
)


def add_demo_tags(session: Session, *, workspace: Workspace, idea_ids: list[int]) -> None:
    """The demo board's tags, put on its ideas (``idea_ids`` in the order they were posted)."""
    carried: dict[int, list[int]] = defaultdict(list)
    for name_en, name_fr, colour, positions in DEMO_TAGS:
        tag = create_tag(session, workspace=workspace, spec=TagSpec(name_en, name_fr, colour))
        for position in positions:
            if position < len(idea_ids):
                carried[idea_ids[position]].append(tag.id)
    for idea_id, tag_ids in carried.items():
        set_idea_tags(session, workspace=workspace, idea_id=idea_id, tag_ids=tag_ids)
