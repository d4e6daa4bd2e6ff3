"""Statuses: six kinds, names in both languages, keys checked."""

from __future__ import annotations

import pytest

from cxgap.community.statuses import (
    DEFAULT_STATUSES,
    KINDS,
    check_status,
    is_public,
    takes_votes,
)
from cxgap.errors import ValidationError


def test_the_defaults_cover_every_kind_with_both_languages() -> None:
    assert {s.kind for s in DEFAULT_STATUSES} == set(KINDS)
    assert all(s.name_en and s.name_fr and s.name_en != s.key for s in DEFAULT_STATUSES)
    assert DEFAULT_STATUSES[0].kind == "open"


def test_closed_kinds_take_no_votes_and_duplicates_leave_the_board() -> None:
    assert [k for k in KINDS if takes_votes(k)] == ["open", "planned", "started"]
    assert [k for k in KINDS if not is_public(k)] == ["duplicate"]


def test_a_status_typed_by_the_team_is_checked() -> None:
    spec = check_status(" beta ", "started", "In beta", "")
    assert (spec.key, spec.kind, spec.name("fr"), spec.name("en")) == (
        "beta",
        "started",
        "In beta",
        "In beta",
    )
    with pytest.raises(ValidationError) as refused:
        check_status("Beta Test", "started", "x", "y")
    assert refused.value.problems[0].field == "key"
    with pytest.raises(ValidationError) as refused:
        check_status("beta", "shipped", "x", "y")
    assert refused.value.problems[0].value == "shipped"
    assert "completed" in refused.value.problems[0].message
    with pytest.raises(ValidationError):
        check_status("beta", "open", " ", "")
