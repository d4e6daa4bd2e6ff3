"""What the browser editor does with journeys: start one, save the whole document it edited,
derive the target version of a current journey.

Every save names the revision it started from (``services.journeys.update_journey``), so two
analysts editing the same map never silently overwrite each other.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy.orm import Session

from cxgap.db.tables import JourneyRow, Workspace
from cxgap.errors import ConflictError, FieldProblem, NotFoundError, ValidationError
from cxgap.journeys.document import document_topics, parse_journey_document
from cxgap.journeys.model import Journey, Persona, Text, Version
from cxgap.services.journeys import create_journey, get_journey, get_persona, update_journey
from cxgap.services.slugs import free_key
from cxgap.services.topic_links import active_topics, keys_in_other_journeys, link_touchpoints
from cxgap.services.workspaces import KEY_PATTERN

# Paths under /w/{key}/journeys/ that are pages, not journey keys.
RESERVED_KEYS = frozenset({"new"})
NAME_LIMIT = 200


def _problem(
    field: str, message: str, value: object = None, code: str | None = None
) -> FieldProblem:
    return FieldProblem(field=field, message=message, value=value, code=code)


def _key_problems(
    session: Session, workspace: Workspace, field: str, key: str
) -> list[FieldProblem]:
    if not KEY_PATTERN.match(key):
        message = "must start with a-z and use only a-z, 0-9, '-' and '_' (at most 63)"
        return [_problem(field, message, key, "format")]
    if key in RESERVED_KEYS:
        return [_problem(field, "is reserved for a page, choose another key", key, "reserved")]
    try:
        get_journey(session, workspace=workspace, key=key)
    except NotFoundError:
        return []
    return [_problem(field, "is already the key of another journey", key, "unique")]


def _name_problems(field: str, name: str) -> list[FieldProblem]:
    if not name.strip():
        return [_problem(field, "is required", code="required")]
    if len(name) > NAME_LIMIT:
        problem = _problem(field, f"is longer than {NAME_LIMIT} characters", code="too_long")
        problem.params["limit"] = NAME_LIMIT
        return [problem]
    return []


def start_journey(
    session: Session,
    *,
    workspace: Workspace,
    key: str,
    name_en: str,
    name_fr: str,
    persona_key: str | None,
    locale: str = "en",
) -> JourneyRow:
    """A new, empty current journey (generic, or for persona ``persona_key``). The name in
    ``locale`` (the interface language) is required; the other one, left empty, is stored as
    missing (pages in that language show the other name and say so), never copied. An empty
    ``key`` is derived from the English name (else the French one, as the form does), unique
    in the workspace."""
    key, name_en, name_fr = key.strip(), name_en.strip(), name_fr.strip()
    names = {"en": name_en, "fr": name_fr}
    mine = "fr" if locale == "fr" else "en"
    key = key or free_key(
        session, JourneyRow.key, name_en or name_fr, scope=JourneyRow.workspace_id,
        scope_id=workspace.id, fallback="journey", reserved=RESERVED_KEYS,
    )  # fmt: skip
    problems = _key_problems(session, workspace, "key", key)
    for lang, name in names.items():
        if lang == mine or name:
            problems += _name_problems(f"name_{lang}", name)
    persona: Persona | None = None
    if persona_key:
        try:
            persona = get_persona(session, workspace=workspace, key=persona_key)
        except NotFoundError:
            problems.append(_problem("persona", "is not a persona of this workspace", persona_key))
    if problems:
        raise ValidationError(problems, summary="The journey was not created")
    journey = Journey(key=key, name=Text(name_en, name_fr), persona=persona)
    return create_journey(session, workspace=workspace, journey=journey)


def save_journey_document(
    session: Session, *, workspace: Workspace, key: str, document: Any, expected_revision: int
) -> int:
    """Replace journey ``key`` with the edited document; returns the new revision.

    The document is checked whole before anything is written (``ValidationError`` names the
    JSON path of the first problem). Its persona is referred to by key: the stored persona is
    kept as it is, so a journey save never rewrites a persona edited elsewhere. A touchpoint's
    ``topics`` list, when present, becomes its links to the taxonomy (``services.topic_links``);
    the links of a touchpoint key that leaves the workspace's journeys go with it.
    """
    journey = parse_journey_document(document)
    if journey.key != key:
        raise ValidationError(
            [_problem("$.key", f"must stay {key!r}, the journey being edited", journey.key)],
            summary="Invalid journey document",
        )
    before, _ = get_journey(session, workspace=workspace, key=key)  # 404 before 409 or 422
    known = {topic.key for topic in active_topics(session, workspace)}
    wanted = document_topics(document, known=known)
    if journey.persona is not None:
        try:
            persona = get_persona(session, workspace=workspace, key=journey.persona.key)
        except NotFoundError:
            raise ValidationError(
                [
                    _problem(
                        "$.persona.key", "is not a persona of this workspace", journey.persona.key
                    )
                ],
                summary="Invalid journey document",
            ) from None
        journey = replace(journey, persona=persona)
    revision = update_journey(
        session, workspace=workspace, journey=journey, expected_revision=expected_revision
    )
    gone = {tp.key for tp in before.touchpoints} - {tp.key for tp in journey.touchpoints}
    gone -= keys_in_other_journeys(session, workspace, key)
    if wanted or gone:
        link_touchpoints(session, workspace=workspace, wanted=wanted, dropped=gone)
    return revision


def suggested_target_key(key: str) -> str:
    """The key proposed for the target version of journey ``key``.

    >>> suggested_target_key("claire-current"), suggested_target_key("returns")
    ('claire-target', 'returns-target')
    """
    base = key.removesuffix("-current")
    return f"{base[: 63 - len('-target')]}-target"


def create_target_version(
    session: Session, *, workspace: Workspace, key: str, target_key: str
) -> JourneyRow:
    """A target version of current journey ``key``: the same stages and touchpoints, with
    ``based_on`` pointing back, ready for the team to mark what changes (seed 004)."""
    journey, _ = get_journey(session, workspace=workspace, key=key)
    if journey.version is not Version.CURRENT:
        raise ConflictError(
            f"Journey {key!r} is already a target version; derive targets from current journeys"
        )
    target_key = target_key.strip()
    problems = _key_problems(session, workspace, "target_key", target_key)
    if problems:
        raise ValidationError(problems, summary="The target version was not created")
    stages = tuple(
        replace(stage, touchpoints=tuple(replace(tp, change=None) for tp in stage.touchpoints))
        for stage in journey.stages
    )
    target = replace(journey, key=target_key, version=Version.TARGET, based_on=key, stages=stages)
    return create_journey(session, workspace=workspace, journey=target)
