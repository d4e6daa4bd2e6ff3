"""The rows of a membership change as values, and the statements built once per shape."""

from __future__ import annotations

from cxgap.db import member_rows
from cxgap.db.member_rows import Built, IdList, IdRange


def test_each_shape_has_its_parameters() -> None:
    assert member_rows.shape(IdRange(3, 9)) == "range"
    assert member_rows.shape(IdList((4, 5))) == "ids"
    assert member_rows.values(IdRange(3, 9)) == {"members_after": 3, "members_upto": 9}
    assert member_rows.values(IdList((4, 5))) == {"members_ids": [4, 5]}


def test_a_statement_is_built_once_and_the_least_recently_used_dropped() -> None:
    built: Built[str, list[str]] = Built(2)
    calls: list[str] = []

    def make(key: str) -> list[str]:
        calls.append(key)
        return [key]

    first = built.get("a", lambda: make("a"))
    assert built.get("a", lambda: make("a")) is first
    built.get("b", lambda: make("b"))
    built.get("a", lambda: make("a"))  # "a" used last: "b" is the one dropped
    built.get("c", lambda: make("c"))
    built.get("a", lambda: make("a"))
    built.get("b", lambda: make("b"))
    assert calls == ["a", "b", "c", "b"]
