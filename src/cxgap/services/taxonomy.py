"""A workspace's editable taxonomy of topics: seeded from the default, then the team's own.

Every workspace starts from ``cxgap.text.taxonomy.DEFAULT_TAXONOMY`` the first time its
topics are needed; analysts then add topics (by hand or adopted from emerging clusters),
edit them and retire them. Retired topics keep their history but are no longer detected.
The text models see the active topics as :class:`~cxgap.text.protocols.TopicSpec` values.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cxgap.db.tables import Feedback, Pillar, TextEnrichment, TextFinding, Topic, Workspace
from cxgap.errors import ConflictError, FieldProblem, NotFoundError, ValidationError
from cxgap.text.protocols import TopicSpec

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_-]{0,62}$")
ORIGINS = ("default", "emerging", "analyst")
MAX_NAME = 200
MAX_DESCRIPTION = 2000
MAX_ITEMS = 50  # examples, keywords or keys per topic
MAX_ITEM = 300  # characters per example or keyword


@dataclass(frozen=True)
class TopicInput:
    """What an analyst submits for a topic (lists already split; see :func:`split_lines`)."""

    key: str
    name_en: str
    name_fr: str
    description: str = ""  # in English
    examples: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    pillar_keys: tuple[str, ...] = ()
    touchpoint_keys: tuple[str, ...] = ()
    # None: an edit keeps the stored French description (clients that only know English).
    description_fr: str | None = None


@dataclass(frozen=True)
class TopicRow:
    """A topic with how many feedback records mention it (for the taxonomy page)."""

    topic: Topic
    volume: int
    pillar_names: tuple[str, ...] = field(default=())


def split_lines(raw: str) -> tuple[str, ...]:
    """One item per line, blank lines dropped (examples: a phrase may contain commas).

    >>> split_lines("Livraison en retard\\n\\n  late delivery ")
    ('Livraison en retard', 'late delivery')
    """
    return tuple(line.strip() for line in raw.splitlines() if line.strip())


def split_list(raw: str) -> tuple[str, ...]:
    """Items separated by commas or line breaks, de-duplicated in order.

    >>> split_list("delivery, late,\\ndelivery")
    ('delivery', 'late')
    """
    items = (item.strip() for item in re.split(r"[,\n]", raw))
    return tuple(dict.fromkeys(item for item in items if item))


def ensure_taxonomy(session: Session, workspace: Workspace) -> None:
    """Seed the workspace's topics from the default taxonomy if it has none yet."""
    has_topics = session.scalar(select(Topic.id).where(Topic.workspace_id == workspace.id).limit(1))
    if has_topics is not None:
        return
    french = default_descriptions_fr()
    for position, spec in enumerate(default_taxonomy(), start=1):
        row = _row_from_spec(workspace.id, spec, position=position, origin="default")
        row.description_fr = french.get(spec.key, "")
        session.add(row)
    session.flush()


def default_descriptions_fr() -> dict[str, str]:
    """The default topics' French descriptions, by key (none without the text models)."""
    try:
        from cxgap.text.taxonomy_fr import FRENCH_DESCRIPTIONS
    except ImportError:
        return {}
    return dict(FRENCH_DESCRIPTIONS)


def topic_description(topic: Topic, locale: str) -> tuple[str, bool]:
    """The topic's description in ``locale`` (the other language's when it is missing
    there), and whether it is missing there."""
    mine, theirs = (
        (topic.description_fr, topic.description)
        if locale == "fr"
        else (topic.description, topic.description_fr)
    )
    return (mine or theirs or ""), (not mine and bool(theirs))


def default_taxonomy() -> tuple[TopicSpec, ...]:
    """The bundled default topics, or none when the text models are not installed."""
    try:
        from cxgap.text.taxonomy import DEFAULT_TAXONOMY
    except ImportError:
        return ()
    return tuple(DEFAULT_TAXONOMY)


def list_topics(
    session: Session, workspace: Workspace, *, include_retired: bool = True
) -> list[Topic]:
    ensure_taxonomy(session, workspace)
    query = select(Topic).where(Topic.workspace_id == workspace.id)
    if not include_retired:
        query = query.where(Topic.active.is_(True))
    return list(session.scalars(query.order_by(Topic.position, Topic.id)))


def topic_rows(session: Session, workspace: Workspace, *, locale: str = "en") -> list[TopicRow]:
    """Every topic with its volume and the names of its pillars, in taxonomy order."""
    topics = list_topics(session, workspace)
    volumes = topic_volumes(session, workspace)
    pillars = {
        p.key: (p.name_fr if locale == "fr" else p.name_en)
        for p in session.scalars(select(Pillar).where(Pillar.workspace_id == workspace.id))
    }
    return [
        TopicRow(
            topic=t,
            volume=volumes.get(t.key, 0),
            pillar_names=tuple(pillars.get(k, k) for k in t.pillar_keys),
        )
        for t in topics
    ]


def topic_volumes(session: Session, workspace: Workspace) -> dict[str, int]:
    """How many feedback records mention each topic (a record counts once per topic)."""
    query = (
        select(TextFinding.topic_key, func.count(func.distinct(Feedback.id)))
        .join(TextEnrichment, TextEnrichment.id == TextFinding.enrichment_id)
        .join(
            Feedback,
            (Feedback.workspace_id == TextEnrichment.workspace_id)
            & (Feedback.text_hash == TextEnrichment.text_hash),
        )
        .where(TextFinding.workspace_id == workspace.id, TextFinding.topic_key.is_not(None))
        .group_by(TextFinding.topic_key)
    )
    return {str(key): int(count) for key, count in session.execute(query)}


def get_topic(session: Session, workspace: Workspace, key: str) -> Topic:
    ensure_taxonomy(session, workspace)
    topic = session.scalar(
        select(Topic).where(Topic.workspace_id == workspace.id, Topic.key == key)
    )
    if topic is None:
        raise NotFoundError(f"No topic {key!r} in workspace {workspace.key!r}")
    return topic


def create_topic(
    session: Session, *, workspace: Workspace, data: TopicInput, origin: str = "analyst"
) -> Topic:
    """Add a topic; refused (nothing stored) when a value is invalid or the key is taken."""
    ensure_taxonomy(session, workspace)
    if origin not in ORIGINS:
        raise ValidationError.single("origin", f"must be one of {', '.join(ORIGINS)}", origin)
    clean = validate_topic(session, workspace, data)
    taken = session.scalar(
        select(Topic.id).where(Topic.workspace_id == workspace.id, Topic.key == clean.key)
    )
    if taken is not None:
        raise ConflictError(f"Topic {clean.key!r} already exists in workspace {workspace.key!r}")
    position = (
        session.scalar(select(func.max(Topic.position)).where(Topic.workspace_id == workspace.id))
        or 0
    ) + 1
    topic = _row_from_spec(workspace.id, _spec(clean), position=position, origin=origin)
    topic.description_fr = clean.description_fr or ""
    session.add(topic)
    session.flush()
    return topic


def update_topic(session: Session, *, workspace: Workspace, key: str, data: TopicInput) -> Topic:
    """Replace a topic's names, description, examples, keywords and mapping (not its key)."""
    topic = get_topic(session, workspace, key)
    clean = validate_topic(session, workspace, dataclasses.replace(data, key=key))
    topic.name_en, topic.name_fr = clean.name_en, clean.name_fr
    topic.description = clean.description
    if clean.description_fr is not None:
        topic.description_fr = clean.description_fr
    topic.examples, topic.keywords = list(clean.examples), list(clean.keywords)
    topic.pillar_keys, topic.touchpoint_keys = list(clean.pillar_keys), list(clean.touchpoint_keys)
    session.flush()
    return topic


def set_topic_active(session: Session, *, workspace: Workspace, key: str, active: bool) -> Topic:
    """Retire a topic (no longer detected, history kept) or bring it back."""
    topic = get_topic(session, workspace, key)
    topic.active = active
    session.flush()
    return topic


def topic_specs(session: Session, workspace: Workspace) -> list[TopicSpec]:
    """The active topics as the text models see them, in taxonomy order."""
    return [_spec_of(t) for t in list_topics(session, workspace, include_retired=False)]


def taxonomy_fingerprint(specs: Sequence[TopicSpec]) -> str:
    """A short digest of the topics: it changes whenever what the models detect changes.
    Touchpoint links do not change it (they only say where a topic shows on the journeys:
    linking must not re-enrich every text); they are digested as empty, so a taxonomy
    without links keeps the digest it always had."""
    unlinked = [dataclasses.replace(s, touchpoint_keys=()) for s in specs]
    payload = json.dumps([_spec_dict(s) for s in unlinked], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:12]


def detection_fingerprint(session: Session, workspace: Workspace) -> str:
    """``taxonomy_fingerprint`` of the workspace's active topics: when an edit leaves it as
    it was (touchpoint links alone), nothing needs re-enriching."""
    return taxonomy_fingerprint(topic_specs(session, workspace))


def validate_topic(session: Session, workspace: Workspace, data: TopicInput) -> TopicInput:
    """The submitted topic, trimmed, or a ValidationError naming every bad field."""
    problems: list[FieldProblem] = []
    key = data.key.strip()
    if not KEY_PATTERN.match(key):
        problems.append(
            FieldProblem(
                "key",
                "must start with a lower-case letter and use only a-z, 0-9, '-' and '_' "
                "(at most 63 characters)",
                key,
                code="format",
            )
        )
    for name, value in (("name_en", data.name_en), ("name_fr", data.name_fr)):
        problems += _text_problems(name, value, limit=MAX_NAME, required=True)
    descriptions = (("description", data.description), ("description_fr", data.description_fr))
    for name, value in ((n, v) for n, v in descriptions if v is not None):
        problems += _text_problems(name, value, limit=MAX_DESCRIPTION)
    for name, items in (("examples", data.examples), ("keywords", data.keywords)):
        problems += _list_problems(name, items)
    known_pillars = set(
        session.scalars(select(Pillar.key).where(Pillar.workspace_id == workspace.id))
    )
    for pillar in data.pillar_keys:
        if pillar.strip() not in known_pillars:
            message = (
                f"is not a pillar of this workspace (known: {', '.join(sorted(known_pillars))})"
            )
            problems.append(FieldProblem("pillar_keys", message, pillar, code="choice"))
    for touchpoint in data.touchpoint_keys:
        if not KEY_PATTERN.match(touchpoint.strip()):
            problems.append(
                FieldProblem("touchpoint_keys", "is not a valid key", touchpoint, code="format")
            )
    if problems:
        raise ValidationError(problems, summary="Topic refused")
    return TopicInput(
        key=key,
        name_en=data.name_en.strip(),
        name_fr=data.name_fr.strip(),
        description=data.description.strip(),
        description_fr=None if data.description_fr is None else data.description_fr.strip(),
        examples=_clean(data.examples),
        keywords=tuple(k.lower() for k in _clean(data.keywords)),
        pillar_keys=_clean(data.pillar_keys),
        touchpoint_keys=_clean(data.touchpoint_keys),
    )


def _text_problems(
    name: str, value: str, *, limit: int, required: bool = False
) -> list[FieldProblem]:
    if required and not value.strip():
        return [FieldProblem(name, "is required", code="required")]
    if len(value.strip()) > limit:
        return [
            FieldProblem(
                name,
                f"is longer than {limit} characters",
                len(value.strip()),
                code="too_long",
                params={"limit": limit},
            )
        ]
    return []


def _list_problems(name: str, items: Sequence[str]) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    if len(items) > MAX_ITEMS:
        problems.append(FieldProblem(name, f"has more than {MAX_ITEMS} items", len(items)))
    problems += [
        FieldProblem(name, f"an item is longer than {MAX_ITEM} characters", item[:40] + "…")
        for item in items
        if len(item) > MAX_ITEM
    ]
    return problems


def _clean(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item.strip() for item in items if item.strip()))


def _spec(data: TopicInput) -> TopicSpec:
    return TopicSpec(
        key=data.key,
        name_en=data.name_en,
        name_fr=data.name_fr,
        description=data.description,
        examples=data.examples,
        keywords=data.keywords,
        pillar_keys=data.pillar_keys,
        touchpoint_keys=data.touchpoint_keys,
    )


def _spec_of(topic: Topic) -> TopicSpec:
    return TopicSpec(
        key=topic.key,
        name_en=topic.name_en,
        name_fr=topic.name_fr,
        description=topic.description,
        examples=tuple(topic.examples),
        keywords=tuple(topic.keywords),
        pillar_keys=tuple(topic.pillar_keys),
        touchpoint_keys=tuple(topic.touchpoint_keys),
    )


def _spec_dict(spec: TopicSpec) -> dict[str, object]:
    # The models read the English description only: the French one leaves the digest as is.
    return {name: getattr(spec, name) for name in TopicSpec.__dataclass_fields__}


def _row_from_spec(workspace_id: int, spec: TopicSpec, *, position: int, origin: str) -> Topic:
    return Topic(
        workspace_id=workspace_id,
        key=spec.key,
        name_en=spec.name_en,
        name_fr=spec.name_fr,
        description=spec.description,
        examples=list(spec.examples),
        keywords=list(spec.keywords),
        pillar_keys=list(spec.pillar_keys),
        touchpoint_keys=list(spec.touchpoint_keys),
        origin=origin,
        active=True,
        position=position,
    )
