"""Editing personas: check a submitted persona, update it without losing a colleague's edit,
delete it only when no journey uses it.

Personas carry no revision column, so an edit names the *fingerprint* of the persona it
started from (a digest of its stored content); when the stored persona no longer has that
fingerprint, someone else saved in between and the edit is refused with ``ConflictError``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap.analytics.generations import GENERATIONS
from cxgap.analytics.segment_rules import generation_key
from cxgap.db.tables import JourneyRow, PersonaRow, Workspace
from cxgap.errors import ConflictError, FieldProblem, NotFoundError, ValidationError
from cxgap.journeys.model import (
    CHANNELS,
    PERSONA_ADDRESSES,
    PERSONA_REPLY_LENGTHS,
    PERSONA_TEXTS,
    Persona,
)
from cxgap.services.journeys import _fill_persona, _persona, create_persona
from cxgap.services.slugs import free_key
from cxgap.services.workspaces import KEY_PATTERN, segments_of

# Paths under /w/{key}/personas/ that are pages, not persona keys.
RESERVED_KEYS = frozenset({"new"})
NAME_LIMIT = 200
GENERATION_LIMIT = 64
TEXT_LIMIT = 2000
LIST_LIMIT = 30


def persona_fingerprint(persona: Persona) -> str:
    """A short digest of everything stored about the persona (changes when anything does)."""
    canonical = json.dumps(asdict(persona), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def initials(name: str) -> str:
    """The avatar letters of a persona: first letters of the first and last words.

    >>> initials("Claire Martin"), initials("hugo"), initials("Jean-Marc de la Tour")
    ('CM', 'H', 'JT')
    """
    words = [w for w in name.replace("-", " ").split() if w[:1].isalpha()]
    firsts = [words[0], words[-1]] if len(words) > 1 else words
    return "".join(w[0] for w in firsts).upper()


def generation_label(value: str | None, locale: str) -> str:
    """A persona's generation as the reader's language names it, or as written when it is
    not a known cohort.

    >>> generation_label("Gen X", "fr"), generation_label("Gen Y", "en")
    ('Génération X', 'Millennials (Gen Y)')
    >>> generation_label("Z+", "fr")
    'Z+'
    """
    key = generation_key(value)
    for generation in GENERATIONS:
        if generation.key == key:
            return generation.name_fr if locale == "fr" else generation.name_en
    return value or ""


def check_persona(
    session: Session,
    *,
    workspace: Workspace,
    persona: Persona,
    new: bool,
    locale: str | None = None,
) -> Persona:
    """The persona with its texts trimmed, or ``ValidationError`` naming every bad field.

    With ``locale`` (the interface language of a form), a text written only in the other
    language is refused: the writer's own language is required, the other one optional
    (left empty, it is missing and readers see the other language's lines meanwhile)."""
    problems: list[FieldProblem] = []
    if new:
        problems += _key_problems(session, workspace, persona.key)
    problems += _text_problems(persona)
    if locale is not None:
        problems += _language_problems(persona, locale)
    unknown = [c for c in persona.preferred_channels if c not in CHANNELS]
    if unknown:
        problems.append(
            _problem("preferred_channels", "is not a known channel", unknown[0], "choice")
        )
    problems += _tone_problems(persona)
    segments = {s.key for s in segments_of(session, workspace)}
    if persona.segment is not None and persona.segment not in segments:
        problems.append(
            _problem("segment", "is not a segment of this workspace", persona.segment, "choice")
        )
    if problems:
        raise ValidationError(problems, summary="The persona was not saved")
    return persona


def _problem(
    field: str, message: str, value: object = None, code: str | None = None
) -> FieldProblem:
    return FieldProblem(field=field, message=message, value=value, code=code)


def _key_problems(session: Session, workspace: Workspace, key: str) -> list[FieldProblem]:
    if not KEY_PATTERN.match(key):
        message = "must start with a-z and use only a-z, 0-9, '-' and '_' (at most 63)"
        return [_problem("key", message, key, "format")]
    if key in RESERVED_KEYS:
        return [_problem("key", "is reserved for a page, choose another key", key, "reserved")]
    if _row(session, workspace, key) is not None:
        return [_problem("key", "is already the key of another persona", key, "unique")]
    return []


def _text_problems(persona: Persona) -> list[FieldProblem]:
    problems = []
    if not persona.name.strip():
        problems.append(_problem("name", "is required", code="required"))
    limits = {"name": NAME_LIMIT, "quote": TEXT_LIMIT, "generation": GENERATION_LIMIT}
    for field, limit in limits.items():
        value = getattr(persona, field) or ""
        if len(value) > limit:
            problems.append(_too_long(field, limit))
    for field in (*PERSONA_TEXTS, *(f"{name}_fr" for name in PERSONA_TEXTS)):
        items: tuple[str, ...] = getattr(persona, field)
        if len(items) > LIST_LIMIT:
            problem = _problem(field, f"has more than {LIST_LIMIT} lines", len(items), "too_many")
            problem.params["limit"] = LIST_LIMIT
            problems.append(problem)
        if any(len(item) > NAME_LIMIT for item in items):
            problems.append(_too_long(field, NAME_LIMIT))
    return problems


def _tone_problems(persona: Persona) -> list[FieldProblem]:
    """The address form and the reply length: one of the known values each."""
    problems = []
    for field, allowed in (
        ("address", PERSONA_ADDRESSES),
        ("reply_length", PERSONA_REPLY_LENGTHS),
    ):
        value = getattr(persona, field)
        if value not in allowed:
            problem = _problem(field, f"must be one of {', '.join(allowed)}", value, "choice")
            problem.params["allowed"] = ", ".join(allowed)
            problems.append(problem)
    return problems


def _language_problems(persona: Persona, locale: str) -> list[FieldProblem]:
    language = "French" if locale == "fr" else "English"
    return [
        _problem(
            _form_field(field, locale),
            f"is required in {language} (it is written in the other language only)",
            code="required_here",
        )
        for field in PERSONA_TEXTS
        if persona.lines_missing(field, locale)
    ]


def _form_field(field: str, locale: str) -> str:
    """The form field holding ``field`` in ``locale`` ("needs" in English, "needs_fr")."""
    return f"{field}_fr" if locale == "fr" else field


def _too_long(field: str, limit: int) -> FieldProblem:
    problem = _problem(field, f"is longer than {limit} characters", code="too_long")
    problem.params["limit"] = limit
    return problem


def add_persona(
    session: Session, *, workspace: Workspace, persona: Persona, locale: str | None = None
) -> PersonaRow:
    """Create a persona submitted through the form (checked first, ``locale`` as
    :func:`check_persona` says); an empty key is derived from the name, unique in the
    workspace."""
    if not persona.key:
        key = free_key(
            session, PersonaRow.key, persona.name, scope=PersonaRow.workspace_id,
            scope_id=workspace.id, fallback="persona", reserved=RESERVED_KEYS,
        )  # fmt: skip
        persona = replace(persona, key=key)
    checked = check_persona(session, workspace=workspace, persona=persona, new=True, locale=locale)
    return create_persona(session, workspace=workspace, persona=checked)


def update_persona(
    session: Session,
    *,
    workspace: Workspace,
    persona: Persona,
    expected_fingerprint: str,
    locale: str | None = None,
) -> Persona:
    """Replace persona ``persona.key`` if nobody changed it since ``expected_fingerprint``."""
    row = _require(session, workspace, persona.key, for_update=True)
    stored = _persona(row)
    if persona_fingerprint(stored) != expected_fingerprint:
        raise ConflictError(
            f"Persona {persona.key!r} was changed by someone else since you opened it; "
            "reload the page to see their version, then apply your change again"
        )
    checked = check_persona(session, workspace=workspace, persona=persona, new=False, locale=locale)
    _fill_persona(row, checked)
    session.flush()
    return checked


def persona_journeys(session: Session, *, workspace: Workspace, key: str) -> list[JourneyRow]:
    """The journeys drawn for persona ``key``, by key."""
    row = _require(session, workspace, key)
    return list(
        session.scalars(
            select(JourneyRow).where(JourneyRow.persona_id == row.id).order_by(JourneyRow.key)
        )
    )


def journeys_by_persona(session: Session, *, workspace: Workspace) -> dict[str, list[JourneyRow]]:
    """Persona key → the journeys drawn for that persona, by key."""
    rows = session.execute(
        select(PersonaRow.key, JourneyRow)
        .join(JourneyRow, JourneyRow.persona_id == PersonaRow.id)
        .where(PersonaRow.workspace_id == workspace.id)
        .order_by(JourneyRow.key)
    )
    found: dict[str, list[JourneyRow]] = {}
    for persona_key, journey in rows:
        found.setdefault(persona_key, []).append(journey)
    return found


def generic_journeys(session: Session, *, workspace: Workspace) -> list[JourneyRow]:
    """The journeys drawn for no persona in particular."""
    return list(
        session.scalars(
            select(JourneyRow)
            .where(JourneyRow.workspace_id == workspace.id, JourneyRow.persona_id.is_(None))
            .order_by(JourneyRow.key)
        )
    )


def delete_persona(
    session: Session, *, workspace: Workspace, key: str, expected_fingerprint: str
) -> None:
    """Delete persona ``key``; refused while a journey uses it (the map would lose its owner)."""
    used_by = [j.key for j in persona_journeys(session, workspace=workspace, key=key)]
    if used_by:
        raise ConflictError(
            f"Persona {key!r} is used by the journeys {', '.join(used_by)}: delete them or "
            "give them another persona first"
        )
    row = _require(session, workspace, key, for_update=True)
    if persona_fingerprint(_persona(row)) != expected_fingerprint:
        raise ConflictError(
            f"Persona {key!r} was changed by someone else since you opened it; reload the "
            "page before deleting it"
        )
    session.delete(row)
    session.flush()


def persona_from_fields(fields: dict[str, Any]) -> Persona:
    """A persona from form fields: lists as one item per line (``needs`` in English,
    ``needs_fr`` in French…), blank values as none."""

    def lines(name: str) -> tuple[str, ...]:
        return tuple(
            line.strip() for line in str(fields.get(name) or "").splitlines() if line.strip()
        )

    def optional(name: str) -> str | None:
        value = str(fields.get(name) or "").strip()
        return value or None

    channels = fields.get("preferred_channels") or []
    return Persona(
        key=str(fields.get("key") or "").strip(),
        name=str(fields.get("name") or "").strip(),
        quote=str(fields.get("quote") or "").strip(),
        needs=lines("needs"),
        usages=lines("usages"),
        behaviours=lines("behaviours"),
        preferred_channels=tuple(c for c in CHANNELS if c in channels)
        + tuple(c for c in channels if c not in CHANNELS),
        generation=optional("generation"),
        segment=optional("segment"),
        needs_fr=lines("needs_fr"),
        usages_fr=lines("usages_fr"),
        behaviours_fr=lines("behaviours_fr"),
        address=str(fields.get("address") or "vous").strip(),
        reply_length=str(fields.get("reply_length") or "standard").strip(),
    )


def _row(session: Session, workspace: Workspace, key: str) -> PersonaRow | None:
    return session.scalar(
        select(PersonaRow).where(PersonaRow.workspace_id == workspace.id, PersonaRow.key == key)
    )


def _require(
    session: Session, workspace: Workspace, key: str, *, for_update: bool = False
) -> PersonaRow:
    query = select(PersonaRow).where(PersonaRow.workspace_id == workspace.id, PersonaRow.key == key)
    # On PostgreSQL, lock the row so that two simultaneous saves cannot both pass the check.
    row = session.scalar(query.with_for_update() if for_update else query)
    if row is None:
        raise NotFoundError(f"No persona {key!r} in workspace {workspace.key!r}")
    return row
