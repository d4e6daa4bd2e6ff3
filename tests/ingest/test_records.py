"""The feedback record keeps its invariants however it is built."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from cxgap.errors import ValidationError
from cxgap.ingest import FeedbackRecord

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
