"""Who wrote the demo's feedback (``demo.feedback_writers``): a customer of the item's segment
whose story fits it, NPS-bearing comments left alone, deterministic; and so the customers who
left said measurably worse things than those who stayed (their sentiment, with its interval,
as the Retention page shows it)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from functools import cache

from cxgap.demo.events import demo_events, mood_of
from cxgap.demo.feedback import DemoFeedback, demo_feedback
from cxgap.demo.feedback_writers import with_writers
from cxgap.demo.generator import DemoData, generate_demo
from cxgap.events.model import Event
from cxgap.retention.churn import statuses
from cxgap.retention.history import purchase_history
from cxgap.retention.stayed_left import stayed_vs_left


@cache
def demo() -> DemoData:
    return generate_demo()


@cache
def log() -> tuple[Event, ...]:
    return tuple(demo_events(demo().customers))


@cache
def written() -> tuple[DemoFeedback, ...]:
    return tuple(with_writers(demo_feedback(), demo().customers, log()))


def test_each_writer_is_a_customer_whose_story_fits_the_item() -> None:
    customers = {c.customer_ref: c for c in demo().customers}
    steps: dict[str, set[str]] = defaultdict(set)
    for event in log():
        steps[event.case].add(event.touchpoint or "")
    items = written()
    assert [replace(i, customer_ref=None) for i in items] == demo_feedback()  # only the writer
    given = [i for i in items if i.customer_ref is not None]
    assert len(given) > 200  # most reviews, complaints and tickets
    assert all(i.nps is None for i in given)  # survey comments keep the answer's NPS alone
    for item in given:
        writer = customers[item.customer_ref]
        assert writer.segment_key == item.attributes["segment"]
        assert (mood_of(writer).name == "unhappy") == (item.intended_score < 0)
    lived = sum(i.about in steps[i.customer_ref or ""] for i in given)
    assert lived / len(given) > 0.9  # they went through the step they write about
    assert written() == tuple(with_writers(demo_feedback(), demo().customers, log()))


def test_customers_who_left_said_worse_things_than_those_who_stayed() -> None:
    said: dict[str, list[float]] = defaultdict(list)
    for item in written():
        if item.customer_ref is not None:
            said[item.customer_ref].append(item.intended_score)
    sentiment = {ref: sum(scores) / len(scores) for ref, scores in said.items()}
    history = purchase_history(log())
    compared = stayed_vs_left(statuses(history, 365), {}, sentiment)
    difference = compared.sentiment_difference
    assert compared.left.sentiment.n > 40 and compared.stayed.sentiment.n > 80
    assert difference.diff is not None and difference.diff > 0.15  # stayed minus left
    assert difference.ci is not None and difference.ci[0] > 0  # the interval excludes 0
