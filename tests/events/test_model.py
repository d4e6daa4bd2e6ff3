from datetime import UTC, datetime

from cxgap.events.model import Event, cases, in_case_order


def test_ties_keep_file_order_and_cases_group() -> None:
    moment = datetime(2024, 1, 1, tzinfo=UTC)
    later = datetime(2024, 1, 2, tzinfo=UTC)
    events = [
        Event("b", later, "pay", position=0),
        Event("a", moment, "second", position=2),
        Event("a", moment, "first", position=1),
        Event("a", later, "third", position=3),
    ]
    grouped = [(case, [e.activity for e in group]) for case, group in cases(in_case_order(events))]
    assert grouped == [("a", ["first", "second", "third"]), ("b", ["pay"])]
