"""The badges editor's checks: every problem of a badge named by its field."""

from __future__ import annotations

import pytest

from cxgap.community.badge_edits import check_badge
from cxgap.errors import ValidationError

GOOD = {
    "name_en": "Helper",
    "name_fr": "Aidant",
    "description_en": "Answered 10 questions",
    "description_fr": "A répondu à 10 questions",
    "metric": "answers",
    "threshold": "10",
    "repeatable": True,
    "icon": "first_answer.svg",
}


def test_a_good_badge_reads_as_its_rule() -> None:
    draft = check_badge(**GOOD)  # type: ignore[arg-type]
    assert (draft.rule.text, draft.repeatable, draft.icon) == (
        "answers >= 10",
        True,
        "first_answer.svg",
    )


def test_every_problem_is_named_at_once() -> None:
    bad = GOOD | {
        "name_fr": " ",
        "metric": "likes",
        "threshold": "0",
        "icon": "evil.svg",
        "description_en": "x" * 301,
    }
    with pytest.raises(ValidationError) as caught:
        check_badge(**bad)  # type: ignore[arg-type]
    found = {(p.field, p.code) for p in caught.value.problems}
    assert found == {
        ("name_fr", "required"),
        ("description_en", "too_long"),
        ("metric", "choice_of"),
        ("threshold", "range"),
        ("icon", "choice_of"),
    }
    with pytest.raises(ValidationError) as caught:
        check_badge(**(GOOD | {"threshold": "ten"}))  # type: ignore[arg-type]
    assert [(p.field, p.code, p.value) for p in caught.value.problems] == [
        ("threshold", "integer", "ten")
    ]
