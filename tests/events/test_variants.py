import random
from datetime import UTC, datetime, timedelta

from cxgap.events.model import Event, cases, in_case_order
from cxgap.paths.variants import count_variants


def test_counts_match_a_log_built_from_known_variants() -> None:
    rng = random.Random(7)
    planned = {("a", "b", "c"): 50, ("a", "c"): 30, ("a", "b", "b", "c"): 15, ("d",): 5}
    events: list[Event] = []
    start = datetime(2024, 3, 1, tzinfo=UTC)
    position = 0
    case_number = 0
    for path, number in planned.items():
        for _ in range(number):
            case_number += 1
            moment = start + timedelta(hours=rng.randrange(1000))
            for activity in path:
                events.append(Event(f"c{case_number}", moment, activity, position=position))
                position += 1
                moment += timedelta(minutes=rng.choice([0, 5]))  # equal times: file order
    rng.shuffle(events)
    result = count_variants(
        [e.activity for e in group] for _, group in cases(in_case_order(events))
    )
    assert result.cases == 100
    assert result.events == 50 * 3 + 30 * 2 + 15 * 4 + 5
    assert [(v.activities, v.cases) for v in result.variants] == list(planned.items())
    assert sum(v.share for v in result.variants) == 1.0
    assert result.as_json()["variants"][0] == {  # type: ignore[index]
        "activities": ["a", "b", "c"],
        "cases": 50,
        "share": 0.5,
    }


def test_equal_counts_keep_first_seen_order_and_empty_log() -> None:
    assert [v.activities for v in count_variants([["x"], ["y"], ["y"], ["x"]]).variants] == [
        ("x",),
        ("y",),
    ]
    empty = count_variants([])
    assert (empty.cases, empty.events, empty.variants) == (0, 0, ())
