import random
from collections import Counter

import pytest

from cxgap.errors import ValidationError
from cxgap.paths.contacts import channel_switches, repeat_contacts
from tests.paths.builders import stream

DAY = 24 * 60
WEEK = 7 * DAY


def test_repeat_contacts_within_the_window_by_first_channel() -> None:
    log = {
        # a call, another contact exactly 7 days later (repeat), then one 7 days + 1 min later
        "1": [("call", 0, "phone"), ("mail", WEEK, "email"), ("call", WEEK + 1, "phone")],
        # a browse event is no contact: the chat and the call are 3 days apart
        "2": [("chat", 0, "chat"), ("browse", DAY, "web"), ("call", 2 * DAY, "phone")],
        "3": [("call", 0, "phone")],
        "4": [("browse", 0, "web")],
    }
    result = repeat_contacts(stream(log), within_days=7, contacts={"call", "mail", "chat"})
    assert (result.cases, result.cases_with_contact, result.cases_with_repeat) == (4, 3, 2)
    assert (result.contacts, result.repeated) == (6, 2)
    rows = {row.channel: (row.contacts, row.repeated) for row in result.by_channel}
    assert rows == {"phone": (4, 1), "email": (1, 0), "chat": (1, 1)}  # calls: 2 + 1 + 1
    assert result.by_channel[0].channel == "phone"
    assert result.by_channel[0].rate == pytest.approx(1 / 4)
    every = repeat_contacts(stream(log), within_days=1)  # every event is a contact
    assert (every.contacts, every.repeated) == (8, 1)  # only chat → browse, 1 day apart


def test_a_window_below_one_day_is_refused() -> None:
    with pytest.raises(ValidationError, match="'within_days'"):
        repeat_contacts([], within_days=0)


def test_channel_switches_and_their_pairs() -> None:
    log = {
        "1": [("a", 0, "web"), ("b", 1, "web"), ("c", 1, "phone"), ("d", 1, "shop")],
        "2": [("a", 0, "web"), ("b", 1, None), ("c", 1, "web")],  # no channel: skipped
        "3": [("a", 0, "phone"), ("b", 1, "web"), ("c", 1, "phone"), ("d", 1, "web")],
        "4": [("a", 0, "web"), ("b", 1, "phone")],
        "5": [("a", 0, None)],
    }
    result = channel_switches(stream(log))
    assert (result.cases, result.switches) == (5, 2 + 0 + 3 + 1 + 0)
    assert result.by_bucket == (("0", 2), ("1", 1), ("2", 1), ("3+", 1))
    assert result.distribution == ((0, 2), (1, 1), (2, 1), (3, 1))
    assert result.pairs[0] == ("web", "phone", 3)
    assert dict(((a, b), n) for a, b, n in result.pairs) == {
        ("web", "phone"): 3,
        ("phone", "shop"): 1,
        ("phone", "web"): 2,
    }
    assert result.as_json()["mean_per_case"] == pytest.approx(6 / 5)


def test_switches_of_a_generated_log_match_its_plan() -> None:
    rng = random.Random(5)
    planned: Counter[int] = Counter()
    log = {}
    for number in range(500):
        switches = rng.choice([0, 0, 1, 2, 4])
        planned[min(switches, 3)] += 1
        channels = ["web", "phone", "shop"]
        steps = [("start", 0.0, "web")]
        current = "web"
        for _ in range(switches):
            current = rng.choice([c for c in channels if c != current])
            steps += [("step", 1.0, current)] * rng.randint(1, 3)
        log[f"c{number}"] = steps
    result = channel_switches(stream(log))
    assert dict(result.by_bucket) == {str(k) if k < 3 else "3+": n for k, n in planned.items()}
