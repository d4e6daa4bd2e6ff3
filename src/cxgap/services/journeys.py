"""Personas and journey maps: store, load, edit with revision checks, export and import.

Journeys are loaded as ``journeys.model.Journey`` values; every edit names the revision it
started from and fails with ``ConflictError`` when someone else saved in between (two
analysts editing the same map never silently overwrite each other).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from cxgap.db.tables import (
    JourneyRow,
    JourneyStageRow,
    JourneyTouchpointRow,
    PersonaRow,
    Workspace,
    utcnow,
)
from cxgap.errors import ConflictError, NotFoundError, RevisionConflict, ValidationError
from cxgap.journeys.document import journey_to_document, parse_journey_document
from cxgap.journeys.model import (
    Change,
    Criticality,
    Journey,
    Persona,
    Phase,
    Stage,
    Text,
    Touchpoint,
    Version,
)

# --- personas -------------------------------------------------------------------------------


def create_persona(session: Session, *, workspace: Workspace, persona: Persona) -> PersonaRow:
    if _persona_row(session, workspace, persona.key) is not None:
        raise ConflictError(f"A persona with key {persona.key!r} already exists")
    row = PersonaRow(workspace_id=workspace.id, key=persona.key)
    _fill_persona(row, persona)
    session.add(row)
    session.flush()
    return row


def list_personas(session: Session, *, workspace: Workspace) -> list[Persona]:
    rows = session.scalars(
        select(PersonaRow).where(PersonaRow.workspace_id == workspace.id).order_by(PersonaRow.key)
    )
    return [_persona(row) for row in rows]


def get_persona(session: Session, *, workspace: Workspace, key: str) -> Persona:
    row = _persona_row(session, workspace, key)
    if row is None:
        raise NotFoundError(f"No persona {key!r} in workspace {workspace.key!r}")
    return _persona(row)


def _persona_row(session: Session, workspace: Workspace, key: str) -> PersonaRow | None:
    return session.scalar(
        select(PersonaRow).where(PersonaRow.workspace_id == workspace.id, PersonaRow.key == key)
    )


def _fill_persona(row: PersonaRow, persona: Persona) -> None:
    row.name = persona.name
    row.quote = persona.quote
    row.needs = list(persona.needs)
    row.usages = list(persona.usages)
    row.behaviours = list(persona.behaviours)
    row.needs_fr = list(persona.needs_fr)
    row.usages_fr = list(persona.usages_fr)
    row.behaviours_fr = list(persona.behaviours_fr)
    row.preferred_channels = list(persona.preferred_channels)
    row.generation = persona.generation
    row.segment_key = persona.segment
    row.address = persona.address
    row.reply_length = persona.reply_length


def _persona(row: PersonaRow) -> Persona:
    return Persona(
        key=row.key,
        name=row.name,
        quote=row.quote,
        needs=tuple(row.needs),
        usages=tuple(row.usages),
        behaviours=tuple(row.behaviours),
        preferred_channels=tuple(row.preferred_channels),
        generation=row.generation,
        segment=row.segment_key,
        needs_fr=tuple(row.needs_fr or ()),
        usages_fr=tuple(row.usages_fr or ()),
        behaviours_fr=tuple(row.behaviours_fr or ()),
        address=row.address or "vous",
        reply_length=row.reply_length or "standard",
    )


def _ensure_persona(session: Session, workspace: Workspace, persona: Persona) -> PersonaRow:
    """The stored persona with that key, created if missing; a different one is a conflict."""
    row = _persona_row(session, workspace, persona.key)
    if row is None:
        return create_persona(session, workspace=workspace, persona=persona)
    if _persona(row) != persona:
        raise ConflictError(
            f"Persona {persona.key!r} already exists in workspace {workspace.key!r} with "
            "different details; rename the persona key in the file or edit the stored one"
        )
    return row


# --- journeys -------------------------------------------------------------------------------


def create_journey(session: Session, *, workspace: Workspace, journey: Journey) -> JourneyRow:
    """Store a new journey (and its persona when the workspace does not have it yet)."""
    if _journey_row(session, workspace, journey.key) is not None:
        raise ConflictError(f"A journey with key {journey.key!r} already exists")
    row = JourneyRow(workspace_id=workspace.id, key=journey.key, revision=1)
    _fill_journey(session, workspace, row, journey)
    session.add(row)
    session.flush()
    return row


def list_journeys(session: Session, *, workspace: Workspace) -> list[JourneyRow]:
    return list(
        session.scalars(
            select(JourneyRow)
            .where(JourneyRow.workspace_id == workspace.id)
            .order_by(JourneyRow.key)
        )
    )


def get_journey(session: Session, *, workspace: Workspace, key: str) -> tuple[Journey, int]:
    """The journey and its current revision (to send back with an edit)."""
    row = _require(session, workspace, key)
    return _journey(session, row), row.revision


def update_journey(
    session: Session, *, workspace: Workspace, journey: Journey, expected_revision: int
) -> int:
    """Replace the stored journey ``journey.key`` with ``journey``; returns the new revision."""
    row = _claim(session, workspace, journey.key, expected_revision)
    row.stages.clear()
    session.flush()
    _fill_journey(session, workspace, row, journey)
    session.flush()
    return row.revision


def get_journey_row(session: Session, *, workspace: Workspace, key: str) -> JourneyRow:
    """The stored journey ``key`` itself (its revision and when it was last saved)."""
    return _require(session, workspace, key)


def delete_journey(
    session: Session, *, workspace: Workspace, key: str, expected_revision: int
) -> None:
    """Delete journey ``key`` unless someone saved it since ``expected_revision``."""
    row = _claim(session, workspace, key, expected_revision)
    session.delete(row)
    session.flush()


def reorder_stages(
    session: Session, *, workspace: Workspace, key: str, order: list[str], expected_revision: int
) -> int:
    """Put the stages of journey ``key`` in ``order`` (every stage key, once)."""
    row = _claim(session, workspace, key, expected_revision)
    _reorder(row.stages, order, "order")
    session.flush()
    return row.revision


def reorder_touchpoints(
    session: Session,
    *,
    workspace: Workspace,
    key: str,
    stage: str,
    order: list[str],
    expected_revision: int,
) -> int:
    """Put the touchpoints of one stage in ``order`` (every touchpoint key, once)."""
    row = _claim(session, workspace, key, expected_revision)
    found = [s for s in row.stages if s.key == stage]
    if not found:
        raise ValidationError.single("stage", f"is not a stage of journey {key!r}", stage)
    _reorder(found[0].touchpoints, order, "order")
    session.flush()
    return row.revision


def export_journey(
    session: Session, *, workspace: Workspace, key: str, locale: str = "en"
) -> dict[str, Any]:
    """The contract JSON of journey ``key``."""
    journey, _ = get_journey(session, workspace=workspace, key=key)
    return journey_to_document(journey, locale=locale)


def import_journey(session: Session, *, workspace: Workspace, document: Any) -> JourneyRow:
    """Create a journey from its JSON document; a bad document raises before any write."""
    journey = parse_journey_document(document)
    return create_journey(session, workspace=workspace, journey=journey)


def count_journey_rows(session: Session) -> dict[str, int]:
    """Rows per journey table (used to show that a refused import stored nothing)."""
    return {
        model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
        for model in (PersonaRow, JourneyRow, JourneyStageRow, JourneyTouchpointRow)
    }


def _journey_row(session: Session, workspace: Workspace, key: str) -> JourneyRow | None:
    return session.scalar(
        select(JourneyRow).where(JourneyRow.workspace_id == workspace.id, JourneyRow.key == key)
    )


def _require(session: Session, workspace: Workspace, key: str) -> JourneyRow:
    row = _journey_row(session, workspace, key)
    if row is None:
        raise NotFoundError(f"No journey {key!r} in workspace {workspace.key!r}")
    return row


def _claim(session: Session, workspace: Workspace, key: str, expected: int) -> JourneyRow:
    """Bump the revision if it is still ``expected`` (one atomic UPDATE), else conflict."""
    row = _require(session, workspace, key)
    claimed = session.execute(
        update(JourneyRow)
        .where(JourneyRow.id == row.id, JourneyRow.revision == expected)
        .values(revision=expected + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        session.refresh(row)
        raise RevisionConflict(
            f"Journey {key!r} was changed by someone else: your edit started from revision "
            f"{expected}, the stored journey is at revision {row.revision}. Reload it and "
            "apply your change again.",
            revision=row.revision,
            saved_at=row.updated_at,
        )
    session.refresh(row)
    return row


def _reorder(items: list[Any], order: list[str], field: str) -> None:
    keys = [item.key for item in items]
    if sorted(order) != sorted(keys):
        raise ValidationError.single(
            field, f"must list each of {', '.join(keys)} exactly once", ", ".join(order)
        )
    positions = {key: i for i, key in enumerate(order, start=1)}
    for item in items:
        item.position = positions[item.key]
    items.sort(key=lambda item: item.position)


def _fill_journey(session: Session, workspace: Workspace, row: JourneyRow, j: Journey) -> None:
    row.name_en, row.name_fr = j.name.en, j.name.fr
    row.version = j.version.value
    row.based_on = j.based_on
    row.persona_id = (
        None if j.persona is None else _ensure_persona(session, workspace, j.persona).id
    )
    row.stages = [
        JourneyStageRow(
            key=stage.key,
            name_en=stage.name.en,
            name_fr=stage.name.fr,
            phase=stage.phase.value,
            position=i,
            touchpoints=[_touchpoint_row(tp, k) for k, tp in enumerate(stage.touchpoints, 1)],
        )
        for i, stage in enumerate(j.stages, start=1)
    ]


def _touchpoint_row(tp: Touchpoint, position: int) -> JourneyTouchpointRow:
    return JourneyTouchpointRow(
        key=tp.key,
        name_en=tp.name.en,
        name_fr=tp.name.fr,
        channel=tp.channel,
        digital=tp.digital,
        interlocutor=tp.interlocutor,
        description=tp.description,
        goal=tp.goal,
        emotion=tp.emotion,
        moment_of_truth=tp.moment_of_truth,
        declared_criticality=None
        if tp.declared_criticality is None
        else tp.declared_criticality.value,
        change=None if tp.change is None else tp.change.value,
        position=position,
    )


def _journey(session: Session, row: JourneyRow) -> Journey:
    persona = None if row.persona_id is None else session.get(PersonaRow, row.persona_id)
    return Journey(
        key=row.key,
        name=Text(row.name_en, row.name_fr),
        version=Version(row.version),
        persona=None if persona is None else _persona(persona),
        based_on=row.based_on,
        stages=tuple(
            Stage(
                key=s.key,
                name=Text(s.name_en, s.name_fr),
                phase=Phase(s.phase),
                touchpoints=tuple(_touchpoint(t) for t in s.touchpoints),
            )
            for s in row.stages
        ),
    )


def _touchpoint(t: JourneyTouchpointRow) -> Touchpoint:
    return Touchpoint(
        key=t.key,
        name=Text(t.name_en, t.name_fr),
        channel=t.channel,
        digital=t.digital,
        interlocutor=t.interlocutor,
        description=t.description,
        goal=t.goal,
        emotion=t.emotion,
        moment_of_truth=t.moment_of_truth,
        declared_criticality=None
        if t.declared_criticality is None
        else Criticality(t.declared_criticality),
        change=None if t.change is None else Change(t.change),
    )
