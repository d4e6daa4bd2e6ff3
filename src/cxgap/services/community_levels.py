"""The team's levels editor (``docs/community.md``, "Power users and badges"): the whole list
of the workspace's power-user levels replaced at once, checked as a whole
(``community.level_edits``), so the leaderboard and the badge pages read the new levels on
their next load."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete
from sqlalchemy.orm import Session

from cxgap.community.level_edits import LevelRow, checked, edit_levels
from cxgap.community.reputation import Level
from cxgap.db.tables import CommunityLevel, Workspace
from cxgap.errors import FieldProblem, ValidationError
from cxgap.services.community_reputation import levels_of
from cxgap.services.slugs import slugify

KEY_LENGTH = 40


def editor_rows(session: Session, workspace: Workspace) -> list[LevelRow]:
    """The workspace's levels as the editor's rows (the defaults stored on first use)."""
    return [
        LevelRow(n, level.key, level.name_en, level.name_fr, str(level.threshold))
        for n, level in enumerate(levels_of(session, workspace), start=1)
    ]


def _named(levels: Sequence[Level]) -> list[Level]:
    """New levels given a key from their English name (``-2``… when it is taken)."""
    taken = {level.key for level in levels if level.key}
    named = []
    for level in levels:
        key = level.key
        if not key:
            base = slugify(level.name_en, fallback="level", max_length=KEY_LENGTH - 3)
            key, n = base, 2
            while key in taken:
                key, n = f"{base}-{n}", n + 1
            taken.add(key)
        named.append(Level(key, level.name_en, level.name_fr, level.threshold))
    return named


def save_levels(
    session: Session, *, workspace: Workspace, rows: Sequence[LevelRow]
) -> tuple[Level, ...]:
    """Replace the workspace's levels by those the rows describe, or raise the
    ``ValidationError`` naming each row and field (nothing stored)."""
    known = {level.key for level in levels_of(session, workspace)}
    for row in rows:
        if row.key and row.key not in known:  # a form for levels since deleted elsewhere
            row_keys = ", ".join(sorted(known))
            problem = FieldProblem(
                "key",
                f"must be one of {row_keys}",
                row.key,
                row=row.row,
                code="choice_of",
                params={"allowed": row_keys},
            )
            raise ValidationError([problem], summary="Invalid levels")
    levels = checked(_named(edit_levels(rows)))
    session.execute(delete(CommunityLevel).where(CommunityLevel.workspace_id == workspace.id))
    session.flush()
    session.add_all(
        CommunityLevel(
            workspace_id=workspace.id,
            key=level.key,
            name_en=level.name_en,
            name_fr=level.name_fr,
            threshold=level.threshold,
        )
        for level in levels
    )
    session.flush()
    return levels
