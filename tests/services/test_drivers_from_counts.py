"""The Listening drivers under each single filter (none, source, channel, language,
sentiment, topic, touchpoint, segment), by topic and by pillar: from the pre-aggregated
counts without reading a row, and the same analysis, intervals included (same seed), as
from the rows, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.encoders import jsonable_encoder

from cxgap.db import (
    listening_cube,
    listening_queries,
    listening_reads,
    listening_segments,
    listening_sets,
    listening_touchpoints,
)
from cxgap.db.feedback_filters import FeedbackFilter
from cxgap.services.core import Cxgap
from cxgap.services.listening import parse_filters
from cxgap.services.listening_insights import drivers_view
from cxgap.services.workspaces import get_workspace
from tests.db.test_listening_segments import _segments
from tests.db.test_listening_sets import CorrectedAnalyzer, corrected  # noqa: F401

FILTERS = [
    {},
    {"source": "survey"},
    {"channel": "web"},
    {"language": "fr"},
    {"sentiment": "negative"},
    {"topic": "delivery"},
    {"touchpoint": "checkout"},
    {"segment": "detractor"},
    {"segment": "web_or_checkout", "source": "survey"},
]
# What the drivers page reads from the rows when the counts cannot serve its filter.
ROW_READERS = ("driver_patterns", "mention_counts", "has_scores", "date_bounds")


def _drivers(cx: Cxgap, filters: dict[str, str]) -> Any:
    with cx.reading() as session:
        workspace = get_workspace(session, "acme")
        chosen = parse_filters(filters)
        views = [
            drivers_view(session, workspace, chosen, level=level, min_group_size=3)
            for level in ("topic", "pillar")
        ]
        return _rounded(jsonable_encoder(views))


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 9)
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return value


def _recording(read: list[str], name: str, original: Callable[..., Any]) -> Callable[..., Any]:
    def recorded(*args: Any, **kwargs: Any) -> Any:
        read.append(name)
        return original(*args, **kwargs)

    return recorded


def test_the_drivers_from_the_counts_equal_the_drivers_from_the_rows(
    corrected: tuple[Cxgap, int],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cx, _ = corrected
    _segments(cx)
    read: list[str] = []
    for name in ROW_READERS:
        original = getattr(listening_queries, name)
        monkeypatch.setattr(listening_queries, name, _recording(read, name, original))
    from_counts = [_drivers(cx, filters) for filters in FILTERS]
    assert read == [], "the drivers read rows"
    for view in from_counts:
        assert view[0]["analysis"] is not None, "too few answers to compare intervals"
        assert any(d["ci"] for d in view[0]["analysis"]["drivers"])
    monkeypatch.setattr(listening_cube, "serves", lambda f, need="day": False)
    for module in (listening_sets, listening_touchpoints, listening_segments):
        monkeypatch.setattr(module, "serves", lambda f: False)
    for filters, expected in zip(FILTERS, from_counts, strict=True):
        read.clear()
        assert _drivers(cx, filters) == expected, filters
        assert "driver_patterns" in read, "the rows path read no row"


def test_the_rows_path_is_the_rows_when_the_cube_check_says_no(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # listening_reads held listening_cube.serves itself: a later change of it went unseen,
    # and the benches' "rows" baselines of the default view were read from the counts.
    assert listening_reads._plan(FeedbackFilter(), "day") is not None
    monkeypatch.setattr(listening_cube, "serves", lambda f, need="day": False)
    monkeypatch.setattr(listening_sets, "serves", lambda f: False)
    assert listening_reads._plan(FeedbackFilter(), "day") is None
    assert listening_reads._plan(FeedbackFilter(source_types=("survey",)), "drivers") is None
