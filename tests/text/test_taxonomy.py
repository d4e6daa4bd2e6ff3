"""The default taxonomy and its keyword rules."""

from __future__ import annotations

import pytest

from cxgap.pillars import DEFAULT_PILLARS
from cxgap.text.keywords import KeywordMatcher, fold, keyword_pattern
from cxgap.text.language import RuleAndModelDetector
from cxgap.text.protocols import TopicSpec
from cxgap.text.taxonomy import DEFAULT_TAXONOMY, topic_keys


def test_the_default_taxonomy_is_broad_and_every_pillar_is_reached() -> None:
    assert 15 <= len(DEFAULT_TAXONOMY) <= 20
    assert len(set(topic_keys())) == len(DEFAULT_TAXONOMY)
    pillar_keys = {pillar.key for pillar in DEFAULT_PILLARS}
    reached = {key for topic in DEFAULT_TAXONOMY for key in topic.pillar_keys}
    assert reached == pillar_keys


@pytest.mark.parametrize("topic", DEFAULT_TAXONOMY, ids=lambda topic: topic.key)
def test_each_topic_is_complete_in_both_languages(topic: TopicSpec) -> None:
    assert topic.name_en and topic.name_fr and topic.description and topic.keywords
    detector = RuleAndModelDetector()
    languages = [detector.detect(example) for example in topic.examples]
    assert languages.count("fr") >= 3 and languages.count("en") >= 3


def test_keyword_rules_match_whole_words_with_endings_and_prefixes() -> None:
    pattern = keyword_pattern(["livré", "rembours*", "on hold", "app"])
    assert pattern is not None
    hits = [
        bool(pattern.search(fold(text)))
        for text in ("Commande livrée", "REMBOURSÉE", "put ON  hold", "the app", "happy", "livret")
    ]
    assert hits == [True, True, True, True, False, False]
    assert keyword_pattern(["", "*"]) is None


def test_the_matcher_names_topics_in_taxonomy_order() -> None:
    matcher = KeywordMatcher.of(DEFAULT_TAXONOMY)
    found = matcher.topics_in("Colis jamais livré et toujours pas remboursé !")
    assert found == ("delivery", "returns_refunds")
    assert matcher.topics_in("Nothing to say.") == ()
