"""The levels editor's rules (``docs/community.md``, "Power users and badges"): the team
edits the whole list at once (rename in both languages, change a threshold, add a level,
delete one) and the list is checked as a whole before anything is stored.

Rows are read in the order of their thresholds (a new level typed on the last line takes its
place among the others); every refusal names the form's row, the field and the value, so
the page can show it beside the field: a threshold that is not a whole number, negative, or
used by another level; no level left, or none at 0; a name missing or too long.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from cxgap.community.reputation import Level, check_levels
from cxgap.errors import FieldProblem, ValidationError

MAX_NAME = 80
MAX_THRESHOLD = 1_000_000


@dataclass(frozen=True)
class LevelRow:
    """One line of the editor as typed: ``key`` empty for a new level; ``row`` its number
    on the form (1-based), to name it in a refusal."""

    row: int
    key: str
    name_en: str
    name_fr: str
    threshold: str
    delete: bool = False

    @property
    def blank(self) -> bool:
        """A new line left empty: not a level."""
        return not self.key and not (self.name_en.strip() or self.name_fr.strip())


def _threshold(row: LevelRow, problems: list[FieldProblem]) -> int | None:
    text = row.threshold.strip()
    try:
        value = int(text)
    except ValueError:
        problems.append(
            FieldProblem("threshold", "must be a whole number", text, row=row.row, code="integer")
        )
        return None
    if not 0 <= value <= MAX_THRESHOLD:
        problems.append(
            FieldProblem(
                "threshold",
                f"must be a whole number from 0 to {MAX_THRESHOLD}",
                value,
                row=row.row,
                code="range",
                params={"low": 0, "high": MAX_THRESHOLD},
            )
        )
        return None
    return value


def _names(row: LevelRow, problems: list[FieldProblem]) -> tuple[str, str]:
    names = []
    for field, value in (("name_en", row.name_en), ("name_fr", row.name_fr)):
        clean = " ".join(value.split())
        if not clean:
            problems.append(FieldProblem(field, "is required", row=row.row, code="required"))
        elif len(clean) > MAX_NAME:
            problems.append(
                FieldProblem(
                    field,
                    f"is longer than {MAX_NAME} characters",
                    row=row.row,
                    code="too_long",
                    params={"limit": MAX_NAME},
                )
            )
        names.append(clean)
    return names[0], names[1]


def edit_levels(rows: Sequence[LevelRow]) -> tuple[Level, ...]:
    """The levels the editor's rows describe, by threshold, or a ``ValidationError``.

    New rows (``key`` empty) get the key ``""``: the caller names them.

    >>> rows = [LevelRow(1, "newcomer", "Newcomer", "Nouveau venu", "0"),
    ...         LevelRow(2, "expert", "Expert", "Expert", "300"),
    ...         LevelRow(3, "", "Regular", "Habitué", "100")]
    >>> [(level.name_en, level.threshold) for level in edit_levels(rows)]
    [('Newcomer', 0), ('Regular', 100), ('Expert', 300)]
    """
    problems: list[FieldProblem] = []
    kept: list[tuple[int, Level, int]] = []
    for row in rows:
        if row.delete or row.blank:
            continue
        threshold = _threshold(row, problems)
        name_en, name_fr = _names(row, problems)
        if threshold is not None:
            kept.append((threshold, Level(row.key, name_en, name_fr, threshold), row.row))
    kept.sort(key=lambda item: (item[0], item[2]))
    problems += _order_problems(kept)
    if problems:
        raise ValidationError(problems, summary="Invalid levels")
    levels = tuple(level for _, level, _ in kept)
    named = [level for level in levels if level.key]
    if len({level.key for level in named}) != len(named):
        raise ValidationError.single("key", "is used twice", code="duplicate")
    return levels


def _order_problems(kept: Sequence[tuple[int, Level, int]]) -> list[FieldProblem]:
    if not kept:
        return [FieldProblem("levels", "needs at least one level", code="levels_none")]
    problems: list[FieldProblem] = []
    first, _, first_row = kept[0]
    if first != 0:
        problems.append(
            FieldProblem(
                "threshold",
                "of the lowest level must be 0",
                first,
                row=first_row,
                code="level_first",
            )
        )
    for (before, first_level, first_row), (threshold, level, row) in pairwise(kept):
        if threshold == before:  # both lines are named: either may be the one to change
            problems.append(_same(row, threshold, first_level))
            problems.append(_same(first_row, threshold, level))
    return problems


def _same(row: int, threshold: int, other: Level) -> FieldProblem:
    return FieldProblem(
        "threshold",
        f"is already the threshold of {other.name_en}",
        threshold,
        row=row,
        code="level_same",
        params={"other_en": other.name_en, "other_fr": other.name_fr},
    )


def checked(levels: Sequence[Level]) -> tuple[Level, ...]:
    """Levels whose keys are all given, checked as stored levels are (``check_levels``)."""
    return check_levels(levels)
