"""The feedback record keeps its invariants however it is built."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, datetime
from typing import Any

import pytest

from cxgap.errors import ValidationError
from cxgap.ingest import FeedbackRecord
from cxgap.ingest.records import built_record, mapped_record

WHEN = datetime(2024, 3, 4, 10, tzinfo=UTC)


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"source_type": "tweet"}, "source_type", "choice"),
        ({"source_id": ""}, "source_id", "required"),
        ({"collected_at": datetime(2024, 3, 4)}, "collected_at", "format"),
        ({"nps": 11}, "nps", "range"),
        ({"csat": 0}, "csat", "range"),
        ({"ces": True}, "ces", "range"),
        ({"stars": 4.0}, "stars", "range"),
        ({"text": "x" * 20_001}, "text", "too_long"),
        ({"text": ""}, "text", "empty"),
    ],
)
def test_a_record_refuses_what_no_import_may_produce(
    changes: dict[str, Any], field: str, code: str
) -> None:
    values: dict[str, Any] = {"source_type": "chat", "source_id": "c1", "collected_at": WHEN}
    values["text"] = "Bonjour"
    with pytest.raises(ValidationError) as caught:
        FeedbackRecord(**(values | changes))
    assert [(p.field, p.code) for p in caught.value.problems] == [(field, code)]
    with pytest.raises(ValidationError) as built:  # the row mapper's way, the same refusal
        built_record(values | changes, {})
    assert built.value.problems == caught.value.problems
    with pytest.raises(ValidationError) as mapped:  # the fast row mapper's way, the same
        mapped_record(_whole(values | changes))
    assert mapped.value.problems == caught.value.problems


def _whole(values: dict[str, Any]) -> dict[str, Any]:
    """Every field of a record, as the fast row mapper names them."""
    return {f.name: None for f in fields(FeedbackRecord)} | {"text": "", "attributes": {}} | values


@pytest.mark.parametrize(
    "changes",
    [
        {"source_type": "tweet", "nps": 11},  # two problems, both named
        {"question": "?" * 1_001},
        {"question": 3},
        {"text": 3, "nps": 3},
        {"collected_at": "2024-03-04"},
        {"nps": -1, "csat": 6, "ces": 8, "stars": 0},
        {"text": "", "nps": None},
    ],
)
def test_mapped_record_refuses_as_the_constructor_does(changes: dict[str, Any]) -> None:
    values = _whole({"source_type": "chat", "source_id": "c1", "collected_at": WHEN}) | changes
    try:
        made: object = FeedbackRecord(**values)
    except (ValidationError, TypeError, AttributeError) as exc:
        made = exc
    try:
        mapped: object = mapped_record(dict(values))
    except (ValidationError, TypeError, AttributeError) as exc:
        mapped = exc
    assert type(mapped) is type(made)
    if isinstance(made, ValidationError):
        assert isinstance(mapped, ValidationError) and mapped.problems == made.problems
    else:  # not a record at all: the same error
        assert str(mapped) == str(made)


@pytest.mark.parametrize(
    "values",
    [
        {"source_type": "chat", "source_id": "c1", "collected_at": WHEN, "text": "Bonjour"},
        {"source_type": "survey", "source_id": "s1", "collected_at": WHEN, "nps": 0,
         "question": "Why?", "response_key": "r", "channel": "web", "customer_ref": "p_1",
         "touchpoint": "checkout", "language": "fr", "csat": 5, "ces": 7, "stars": 1},
    ],
)  # fmt: skip
def test_built_record_is_the_record_the_constructor_builds(values: dict[str, Any]) -> None:
    attributes = {"shop": "Lyon"}
    made = FeedbackRecord(**values, attributes=dict(attributes))
    for built in (
        built_record(values, attributes),
        mapped_record(_whole(values | {"attributes": dict(attributes)})),
    ):
        assert built == made
        assert built.as_dict() == made.as_dict()
        assert vars(built) == vars(made)
        with pytest.raises(AttributeError):  # still frozen
            built.text = "changed"  # type: ignore[misc]


@pytest.mark.parametrize(
    "values",
    [
        {"source_type": "chat", "source_id": "c1", "text": "no date"},
        {"source_type": "chat", "source_id": "c1", "collected_at": WHEN, "txt": "typo"},
    ],
)
def test_built_record_refuses_a_missing_or_unknown_field_as_the_constructor_does(
    values: dict[str, Any],
) -> None:
    with pytest.raises(TypeError):
        FeedbackRecord(**values)
    with pytest.raises(TypeError):
        built_record(values, {})


def test_as_dict_is_json_ready() -> None:
    record = FeedbackRecord("review", "r1", WHEN, "Top", stars=5, attributes={"shop": "Lyon"})
    assert record.as_dict() == {
        "source_type": "review",
        "source_id": "r1",
        "collected_at": "2024-03-04T10:00:00+00:00",
        "text": "Top",
        "channel": None,
        "nps": None,
        "csat": None,
        "ces": None,
        "stars": 5,
        "customer_ref": None,
        "touchpoint": None,
        "language": None,
        "attributes": {"shop": "Lyon"},
        "question": None,
        "response_key": None,
    }
