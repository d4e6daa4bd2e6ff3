"""The demo's delivery story (demo/story.py): customers' comments slanted by the day they
answer, and delivery phrases the shipped text models read the way they were written."""

from __future__ import annotations

import random
import re
from datetime import timedelta
from statistics import mean

import pytest

from cxgap.demo import customers
from cxgap.demo.feedback import _Fill
from cxgap.demo.generator import generate_demo
from cxgap.demo.story import DELIVERY_ACTION_START, DELIVERY_TOPICS, delivery_slant
from cxgap.demo.verbatims import BANKS, Slant, Tone, write_comment
from cxgap.pillars import DEFAULT_PILLARS
from cxgap.text.analyzer import build_analyzer

PILLAR_KEYS = [p.key for p in DEFAULT_PILLARS]
# Friction and in-person service (the pillars deliveries speak to) rated low and important.
LOW = {key: 1 if key in ("friction", "in_person") else 4 for key in PILLAR_KEYS}
HIGH = {key: 5 if key in ("friction", "in_person") else 2 for key in PILLAR_KEYS}
IMPORTANT = dict.fromkeys(PILLAR_KEYS, 5)


def _comments(seed: int, tone: Tone, performance: dict[str, int], slant: Slant | None) -> list[str]:
    rng = random.Random(seed)
    return [
        write_comment(rng, language=language, tone=tone, segment_key="pro_buyer",
                      performance=performance, importance=IMPORTANT, slant=slant)
        for language in ("fr", "en") * 100
    ]  # fmt: skip


def _phrases(polarity: str) -> re.Pattern[str]:
    """The delivery and damage clauses of both banks, their slots matching anything."""
    clauses = [
        clause
        for bank in BANKS.values()
        for topic in DELIVERY_TOPICS
        for clause in (bank.negative if polarity == "negative" else bank.positive)[topic]
    ]
    parts = [re.sub(r"\\\{\w+\\\}", ".+?", re.escape(c)) for c in clauses]
    return re.compile("|".join(parts), re.IGNORECASE)


def test_the_default_slant_changes_nothing() -> None:
    assert _comments(3, "mixed", LOW, None) == _comments(3, "mixed", LOW, Slant())


def test_before_the_new_partner_nobody_praises_deliveries_after_it_nobody_complains() -> None:
    complaint, praise = _phrases("negative"), _phrases("positive")

    def share(texts: list[str], phrases: re.Pattern[str]) -> float:
        return mean(bool(phrases.search(t)) for t in texts)

    # Without a slant, customers who rate these pillars low complain about deliveries.
    assert share(_comments(1, "negative", LOW, None), complaint) > 0.1
    assert share(_comments(1, "positive", HIGH, None), praise) > 0.1
    before = delivery_slant(DELIVERY_ACTION_START - timedelta(days=1))
    after = delivery_slant(DELIVERY_ACTION_START)
    assert share(_comments(1, "positive", HIGH, before), praise) == 0
    assert share(_comments(1, "negative", LOW, after), complaint) == 0
    # From the first day, praise of those pillars is about the delivery.
    plain = share(_comments(1, "positive", HIGH, None), praise)
    assert share(_comments(1, "positive", HIGH, after), praise) > 1.5 * plain


def test_the_demo_customers_follow_the_story(monkeypatch: pytest.MonkeyPatch) -> None:
    demo = generate_demo()
    praise, complaint = _phrases("positive"), _phrases("negative")
    early = [c.comment for c in demo.customers if c.submitted_at.date() < DELIVERY_ACTION_START]
    late = [c.comment for c in demo.customers if c.submitted_at.date() >= DELIVERY_ACTION_START]
    assert not any(praise.search(c) for c in early)
    assert not any(complaint.search(c) for c in late)
    assert sum(bool(praise.search(c)) for c in late) > 30
    # Without the story: the same scores, and the same comments but those it rewrote.
    monkeypatch.setattr(customers, "delivery_slant", lambda day: Slant())
    plain = generate_demo()
    assert [(c.nps, c.pillars) for c in demo.customers] == [
        (c.nps, c.pillars) for c in plain.customers
    ]
    changed = [
        (c.submitted_at.date() < DELIVERY_ACTION_START, c.comment, p.comment)
        for c, p in zip(demo.customers, plain.customers, strict=True)
        if c.comment != p.comment
    ]
    assert 0 < len(changed) < len(demo.customers) / 4
    told = [
        bool(praise.search(without)) if early_one
        else bool(complaint.search(without) or praise.search(story))
        for early_one, story, without in changed
    ]  # fmt: skip
    assert mean(told) > 0.85  # the rest: a typo hides the phrase


def test_the_shipped_models_read_the_delivery_phrases_as_written() -> None:
    """Each delivery and damage phrase, filled in twice and written as the journey feedback
    writes it: every clause the shipped models put under the delivery topic has the
    phrase's polarity (the demo's delivery action is measured on exactly that)."""
    analyzer = build_analyzer()
    texts, wanted = [], []
    for language, bank in BANKS.items():
        for polarity, clauses in (("negative", bank.negative), ("positive", bank.positive)):
            for topic in DELIVERY_TOPICS:
                for k, clause in enumerate(clauses[topic] * 2):
                    filled = clause.format_map(_Fill(random.Random(k), bank.slots))
                    end = " !" if language == "fr" and polarity == "negative" else "."
                    texts.append(filled[:1].upper() + filled[1:] + end)
                    wanted.append(polarity)
    misread = [
        (text, finding.sentiment)
        for text, polarity, analysis in zip(texts, wanted, analyzer.analyze(texts), strict=True)
        for finding in analysis.findings
        if "delivery" in finding.topics and finding.sentiment != polarity
    ]
    assert misread == []
