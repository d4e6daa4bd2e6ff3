"""Demo feedback for the journey overlay: deterministic, bilingual, tied to the demo journeys."""

from __future__ import annotations

from collections import Counter

from cxgap.analytics.segment_rules import evaluate, parse_rule
from cxgap.demo.feedback import STEPS, demo_feedback
from cxgap.demo.journeys import demo_journeys
from cxgap.services.demo import SEGMENT_RULES


def test_the_same_seed_gives_the_same_items_and_another_seed_others() -> None:
    assert demo_feedback(seed=1) == demo_feedback(seed=1)
    assert demo_feedback(seed=1)[0].text != demo_feedback(seed=2)[0].text


def test_items_cover_sources_languages_and_the_demo_touchpoints() -> None:
    items = demo_feedback()
    assert Counter(i.source_type for i in items).keys() == {
        "survey",
        "review",
        "complaint",
        "ticket",
    }
    languages = Counter(i.language for i in items)
    assert languages["fr"] > languages["en"] > 100
    keys = {tp.key for tp in demo_journeys()[0].touchpoints}
    assert set(STEPS) <= keys
    named = [i for i in items if i.touchpoint]
    assert 0.6 < len(named) / len(items) < 0.8  # the rest is for the topics to place
    assert all(i.touchpoint in keys for i in named)
    assert all((i.nps is not None) == (i.source_type == "survey") for i in items)
    assert all((i.stars is not None) == (i.source_type == "review") for i in items)
    assert len({i.source_id for i in items}) == len(items)


def test_the_story_shows_in_the_sentiment() -> None:
    items = demo_feedback()

    def negative_share(step: str) -> float:
        about = [i for i in items if i.about == step]
        return sum(i.intended_score < 0 for i in about) / len(about)

    assert negative_share("slot-sms") > 0.6 > 0.3 > negative_share("advisor")


def test_segment_rules_parse_and_select_their_segment() -> None:
    items = demo_feedback()
    for key, text in SEGMENT_RULES.items():
        rule = parse_rule(text)
        chosen = [
            i for i in items if evaluate(rule, {**i.attributes, "nps": i.nps, "stars": i.stars,
                                                "source": i.source_type})
        ]  # fmt: skip
        assert chosen
        assert sum(i.attributes["segment"] == key for i in chosen) >= len(chosen) // 2
