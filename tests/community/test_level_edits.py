"""The levels editor's rules, pure: rows read by threshold, each refusal naming its row."""

from __future__ import annotations

import pytest

from cxgap.community.level_edits import LevelRow, edit_levels
from cxgap.errors import ValidationError

BASE = [
    LevelRow(1, "newcomer", "Newcomer", "Nouveau venu", "0"),
    LevelRow(2, "regular", "Regular", "Habitué", "100"),
    LevelRow(3, "expert", "Expert", "Expert", "300"),
]


def _codes(rows: list[LevelRow]) -> list[tuple[int | None, str, str | None]]:
    with pytest.raises(ValidationError) as caught:
        edit_levels(rows)
    return [(p.row, p.field, p.code) for p in caught.value.problems]


def test_a_new_level_takes_its_place_by_threshold_and_deleted_ones_leave() -> None:
    rows = [
        *BASE[:2],
        LevelRow(3, "expert", "Expert", "Expert", "300", delete=True),
        LevelRow(4, "", " Rising  star ", "Étoile montante", "40"),
        LevelRow(5, "", "", "", ""),
    ]
    levels = edit_levels(rows)
    assert [(lv.key, lv.name_en, lv.threshold) for lv in levels] == [
        ("newcomer", "Newcomer", 0),
        ("", "Rising star", 40),  # spaces folded; the service names it
        ("regular", "Regular", 100),
    ]


def test_a_threshold_used_twice_names_the_other_level() -> None:
    rows = [*BASE, LevelRow(4, "", "Pro", "Pro", "100")]
    with pytest.raises(ValidationError) as caught:
        edit_levels(rows)
    found = {(p.row, p.field, p.code, p.value): p.params for p in caught.value.problems}
    assert found == {
        (4, "threshold", "level_same", 100): {"other_en": "Regular", "other_fr": "Habitué"},
        (2, "threshold", "level_same", 100): {"other_en": "Pro", "other_fr": "Pro"},
    }


def test_refusals_name_the_row_and_the_field() -> None:
    assert _codes([LevelRow(1, "newcomer", "Newcomer", "Nouveau venu", "5")]) == [
        (1, "threshold", "level_first")
    ]
    assert _codes([*BASE[:2], LevelRow(3, "expert", "Expert", "Expert", "-3")]) == [
        (3, "threshold", "range")
    ]
    assert _codes([*BASE[:2], LevelRow(3, "expert", "Expert", "", "trois")]) == [
        (3, "threshold", "integer"),
        (3, "name_fr", "required"),
    ]
    assert _codes([LevelRow(1, "newcomer", "Newcomer", "Nouveau venu", "0", delete=True)]) == [
        (None, "levels", "levels_none")
    ]
    long_name = "x" * 81
    assert _codes([LevelRow(1, "newcomer", long_name, "Nouveau", "0")]) == [
        (1, "name_en", "too_long")
    ]
