import itertools
import random
import statistics
from collections import Counter
from datetime import timedelta

import pytest

from cxgap.errors import ValidationError
from cxgap.events.model import Event
from cxgap.paths.dfg import directly_follows
from cxgap.paths.stream import by_touchpoint
from tests.paths.builders import START, case_events, stream


def test_a_hand_worked_log() -> None:
    log = {
        "1": [("a", 0), ("b", 10), ("c", 20)],
        "2": [("a", 0), ("b", 30), ("b", 5), ("c", 40)],
        "3": [("a", 0), ("c", 60)],
    }
    graph = directly_follows(stream(log))
    edges = {(e.source, e.target): e for e in graph.edges}
    assert (graph.cases, graph.events) == (3, 9)
    assert sorted(edges) == [("a", "b"), ("a", "c"), ("b", "b"), ("b", "c")]
    ab, bc, bb, ac = edges["a", "b"], edges["b", "c"], edges["b", "b"], edges["a", "c"]
    assert (ab.events, ab.cases, ab.median_seconds) == (2, 2, 20 * 60)  # 10 and 30 min
    assert ab.p90_seconds == pytest.approx((10 + 0.9 * 20) * 60)
    assert (bc.events, bc.cases, bc.median_seconds) == (2, 2, 30 * 60)  # 20 and 40 min
    assert (bb.events, bb.cases, bb.median_seconds) == (1, 1, 5 * 60)
    assert (ac.events, ac.cases, ac.median_seconds) == (1, 1, 60 * 60)
    assert graph.starts == (("a", 3),)
    assert graph.ends == (("c", 3),)
    assert dict(graph.activities) == {"a": 3, "b": 3, "c": 3}
    body = graph.as_json()
    assert body["edges"][0] == {  # type: ignore[index]
        "source": "a",
        "target": "b",
        "events": 2,
        "cases": 2,
        "median_seconds": 1200.0,
        "p90_seconds": pytest.approx(1680.0),
    }


def test_a_generated_log_of_known_structure() -> None:
    """Edge counts follow from the planned variants; every gap a → b is drawn from a range
    of its own, so each edge's median is that of the gaps the generator drew for it."""
    rng = random.Random(11)
    planned = {("v", "s", "p"): 400, ("v", "p"): 250, ("v", "s", "v", "s", "p"): 100}
    drawn: dict[tuple[str, str], list[float]] = {}
    log = {}
    for variant, number in planned.items():
        for _ in range(number):
            steps = [(variant[0], 0.0)]
            for a, b in itertools.pairwise(variant):
                gap = float(rng.randrange(1, 120)) * (3 if a == "s" else 1)
                drawn.setdefault((a, b), []).append(gap * 60)
                steps.append((b, gap))
            log[f"case{len(log)}"] = steps
    graph = directly_follows(stream(log))
    expected_events: Counter[tuple[str, str]] = Counter()
    expected_cases: Counter[tuple[str, str]] = Counter()
    for variant, number in planned.items():
        pairs = list(itertools.pairwise(variant))
        for pair in pairs:
            expected_events[pair] += number
        for pair in set(pairs):
            expected_cases[pair] += number
    assert {(e.source, e.target): e.events for e in graph.edges} == expected_events
    assert {(e.source, e.target): e.cases for e in graph.edges} == expected_cases
    for edge in graph.edges:
        assert edge.median_seconds == statistics.median(drawn[edge.source, edge.target])
    assert graph.edges[0].events == max(expected_events.values())
    assert dict(graph.starts) == {"v": 750}
    assert dict(graph.ends) == {"p": 750}


def test_touchpoints_instead_of_activities_skip_unmapped_events() -> None:
    log = {"1": [("open", 0, "web", "t1"), ("noise", 1), ("call", 4, "phone", "t2")]}
    graph = directly_follows(stream(log), step_of=by_touchpoint)
    assert [(e.source, e.target, e.median_seconds) for e in graph.edges] == [("t1", "t2", 300.0)]


def test_events_out_of_order_are_refused_with_the_case_and_value() -> None:
    late, early = (Event("x", START + timedelta(hours=h), "a", h) for h in (2, 1))
    with pytest.raises(ValidationError, match=r"event 1 of case 'x' is earlier"):
        directly_follows([("x", [late, early])])
    with pytest.raises(ValidationError, match="belongs to another case"):
        directly_follows([("x", case_events("y", [("a", 0)]))])
