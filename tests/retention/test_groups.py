"""Path groups on a log written by hand."""

from __future__ import annotations

from cxgap.events.model import Event
from cxgap.retention.groups import path_groups, step_count_groups
from tests.retention.logs import at


def _log() -> list[Event]:
    rows = [  # case, day, activity, touchpoint
        ("a", "2025-01-02", "Order placed", "order"),
        ("a", "2025-01-01", "Website visit", "website"),  # earlier: comes first
        ("a", "2025-01-05", "Delivered", "delivery"),
        ("b", "2025-01-01", "Website visit", "website"),
        ("b", "2025-01-01", "Website visit", "website"),  # a repeat in a row: written once
        ("b", "2025-01-02", "Order placed", "order"),
        ("b", "2025-01-06", "Delivered", "delivery"),
        ("c", "2025-01-03", "Order placed", "order"),
        ("c", "2025-01-04", "Live chat", None),  # undesigned: its activity
        ("c", "2025-01-08", "Delivered", "delivery"),
        ("d", "2025-01-03", "Order placed", "order"),
    ]
    return [
        Event(case, at(day), activity, position=i, touchpoint=tp)
        for i, (case, day, activity, tp) in enumerate(rows)
    ]


def test_the_most_frequent_paths_keep_their_name() -> None:
    assert path_groups(_log(), top=2) == {
        "a": "website → order → delivery",
        "b": "website → order → delivery",
        "c": "order → Live chat → delivery",  # 1 case, first seen before d's path
        "d": "other",
    }
    assert set(path_groups(_log(), top=1).values()) == {"website → order → delivery", "other"}


def test_step_counts_band_the_cases() -> None:
    log = _log()
    assert step_count_groups(log, "website", most=2) == {"a": "1", "b": "2+", "c": "0", "d": "0"}
    assert step_count_groups(log, "Live chat") == {"a": "0", "b": "0", "c": "1", "d": "0"}
