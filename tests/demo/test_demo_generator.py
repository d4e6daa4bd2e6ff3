"""The demo workspace: deterministic, valid, and telling the story the product is about."""

from __future__ import annotations

import random
import re
import statistics
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import fields, replace
from datetime import date, timedelta
from string import Formatter

import numpy as np
import pytest

from cxgap.analytics.generations import generation_of
from cxgap.demo import DemoData, generate_demo
from cxgap.demo.generator import DEMO_TODAY
from cxgap.demo.phrases import TOPIC_PILLARS, PhraseBank
from cxgap.demo.verbatims import BANKS, NUMBER_SLOTS, Tone, write_comment
from cxgap.errors import ValidationError
from cxgap.pillars import DEFAULT_PILLARS
from cxgap.schema import (
    CustomerAnswer,
    InternalAnswer,
    importance_field,
    parse_customer_answer,
    parse_internal_answer,
    performance_field,
)

PILLAR_KEYS = [pillar.key for pillar in DEFAULT_PILLARS]
MAIN_GENERATIONS = ("boomers", "gen_x", "millennials", "gen_z")
GAP_PILLARS = ("service", "digital", "products", "friction")


def word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Tiny stop-word lists: enough to tell French from English, with no word common to both
# ("on", "a", "me", "plus" and single letters such as the "m" of "I'm" are left out).
FRENCH_WORDS = word_set(
    """le la les des du de et est pas une un je j mais pour très tres avec que au aux en ai ma
    mon à ça il qui sur sans rien ne mes nous vous été ete chez bien trop tout encore"""
)
ENGLISH_WORDS = word_set(
    """the and was were to my it but for with not of is they this i we you at in no after
    been have had so from very too all again just"""
)
COMPLAINT_MARKERS = {
    "fr": ("déçu", "decu", "jamais", "attends", "aucune", "plus jamais", "inadmissible"),
    "en": ("disappointed", "never", "waiting", "no answer", "unacceptable", "nobody"),
}
PRAISE_MARKERS = {
    "fr": ("recommande", "merci", "top", "parfait", "ravi", "bravo"),
    "en": ("recommend", "thanks", "great", "perfect", "lovely", "well done"),
}


@pytest.fixture(scope="module")
def demo() -> DemoData:
    return generate_demo()


def mean(values: Iterable[float]) -> float:
    return statistics.fmean(values)


def staff_mean(demo: DemoData, key: str, attribute: str = "current") -> float:
    return mean(getattr(answer.pillars[key], attribute) for answer in demo.internal)


def customer_mean(
    answers: Iterable[CustomerAnswer], key: str, attribute: str = "performance"
) -> float:
    return mean(getattr(answer.pillars[key], attribute) for answer in answers)


def nps(scores: list[int]) -> float:
    return 100 * (sum(s >= 9 for s in scores) - sum(s <= 6 for s in scores)) / len(scores)


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def comments(demo: DemoData, language: str | None = None) -> list[str]:
    return [c.comment for c in demo.customers if c.comment and language in (None, c.language)]


def customer_row(answer: CustomerAnswer) -> dict[str, object]:
    """The flat mapping a CSV import or the web form would hand to the validator."""
    row: dict[str, object] = {
        "nps": answer.nps,
        "csat": answer.csat,
        "ces": answer.ces,
        "birth_year": answer.birth_year,
        "segment": answer.segment_key,
        "comment": answer.comment,
        "consent": answer.consent,
        "language": answer.language,
        "submitted_at": answer.submitted_at.isoformat() if answer.submitted_at else None,
        "response_id": answer.external_id,
        "customer_ref": answer.customer_ref,
    }
    for key, scores in answer.pillars.items():
        row[importance_field(key)] = scores.importance
        row[performance_field(key)] = scores.performance
    return row


def internal_row(answer: InternalAnswer) -> dict[str, object]:
    row: dict[str, object] = {
        "department": answer.department,
        "respondent": answer.respondent,
        "comment": answer.comment,
    }
    for key, scores in answer.pillars.items():
        row[f"{key}_current"] = str(scores.current)
        row[f"{key}_desired"] = str(scores.desired)
        row[f"{key}_rank"] = str(scores.rank)
    return row


def kendalls_w(rankings: list[dict[str, int]]) -> float:
    """Kendall's coefficient of concordance without ties: W = 12 S / (m² (n³ − n))."""
    m, n = len(rankings), len(rankings[0])
    totals = [sum(ranking[key] for ranking in rankings) for key in rankings[0]]
    centre = m * (n + 1) / 2
    return 12 * sum((t - centre) ** 2 for t in totals) / (m**2 * (n**3 - n))


# -- reproducibility and shape ----------------------------------------------------------------


def test_same_seed_and_day_give_the_same_demo(demo: DemoData) -> None:
    assert generate_demo(seed=2026, today=DEMO_TODAY) == demo


def test_another_seed_gives_other_answers(demo: DemoData) -> None:
    other = generate_demo(seed=7)
    assert [c.nps for c in other.customers] != [c.nps for c in demo.customers]
    assert comments(other) != comments(demo)


def test_the_default_day_is_fixed_not_the_clock(demo: DemoData) -> None:
    assert date(2026, 11, 15) == DEMO_TODAY
    later = generate_demo(today=date(2027, 3, 1))
    assert max(c.submitted_at for c in later.customers if c.submitted_at).date() > DEMO_TODAY


def test_colleagues_do_not_change_the_customers(demo: DemoData) -> None:
    """Independent random streams: a smaller team leaves the customer survey as it was."""
    assert generate_demo(n_colleagues=3).customers == demo.customers


def test_default_sizes_and_identifiers(demo: DemoData) -> None:
    assert demo.workspace_key == "demo"
    assert demo.workspace_name == "Maison Lumen"
    assert demo.internal_campaign_name and demo.survey_name
    assert len(demo.customers) == 640
    assert len(demo.internal) == 12
    assert [s.key for s in demo.segments] == [
        "busy_family",
        "design_lover",
        "pro_buyer",
        "bargain_hunter",
    ]
    assert all(s.name_en and s.name_fr and s.name_en != s.name_fr for s in demo.segments)
    ids = [c.external_id for c in demo.customers]
    assert ids[:2] == ["demo-0001", "demo-0002"] and ids[-1] == "demo-0640"
    assert len({c.customer_ref for c in demo.customers}) == 640


def test_custom_sizes() -> None:
    small = generate_demo(n_customers=25, n_colleagues=20)
    assert len(small.customers) == 25
    assert len(small.internal) == 20
    assert len({a.respondent for a in small.internal}) == 20
    empty = generate_demo(n_customers=0, n_colleagues=0)
    assert empty.customers == [] and empty.internal == []


@pytest.mark.parametrize("name", ["n_customers", "n_colleagues"])
def test_negative_sizes_are_refused_by_name(name: str) -> None:
    with pytest.raises(ValidationError, match=name):
        generate_demo(**{name: -1})


def test_a_larger_demo_keeps_its_shape() -> None:
    large = generate_demo(n_customers=5000, n_colleagues=30)
    assert large.customers[-1].external_id == "demo-5000"
    assert len({c.customer_ref for c in large.customers}) == 5000
    assert Counter(a.department for a in large.internal).most_common(1)[0][1] <= 6


# -- every record is a valid answer -----------------------------------------------------------


def test_every_customer_answer_revalidates(demo: DemoData) -> None:
    segment_keys = [s.key for s in demo.segments]
    for row, answer in enumerate(demo.customers, start=1):
        parsed = parse_customer_answer(
            customer_row(answer),
            pillar_keys=PILLAR_KEYS,
            segment_keys=segment_keys,
            row=row,
            today=DEMO_TODAY,
        )
        assert parsed == answer


def test_every_internal_answer_revalidates(demo: DemoData) -> None:
    for row, answer in enumerate(demo.internal, start=1):
        parsed = parse_internal_answer(internal_row(answer), pillar_keys=PILLAR_KEYS, row=row)
        assert parsed == replace(answer, submitted_at=None)  # not a form field
        assert answer.department and answer.respondent and answer.submitted_at


def test_answers_arrive_over_six_months_mostly_on_weekdays(demo: DemoData) -> None:
    moments = [c.submitted_at for c in demo.customers]
    assert all(m is not None and m.tzinfo is not None for m in moments)
    days = [m.date() for m in moments if m]
    assert days == sorted(days)  # ids follow arrival order
    assert min(days) >= DEMO_TODAY - timedelta(days=184) and max(days) < DEMO_TODAY
    assert max(days) - min(days) > timedelta(days=150)
    per_weekday = Counter(day.weekday() for day in days)
    assert mean(per_weekday[d] for d in range(5)) > 1.3 * mean(per_weekday[d] for d in (5, 6))
    for answer in demo.internal:
        assert answer.submitted_at and answer.submitted_at.date() < DEMO_TODAY


# -- the knowledge, desire and priority gaps --------------------------------------------------


def test_colleagues_rate_the_gap_pillars_far_above_customers(demo: DemoData) -> None:
    for key in GAP_PILLARS:
        assert 4.0 <= staff_mean(demo, key) <= 5.0, key
        assert 2.5 <= customer_mean(demo.customers, key) <= 3.2, key
        assert staff_mean(demo, key) - customer_mean(demo.customers, key) >= 1.0, key


def test_some_pillars_agree_and_staff_are_harsher_on_content(demo: DemoData) -> None:
    for key in ("in_person", "reputation"):
        assert abs(staff_mean(demo, key) - customer_mean(demo.customers, key)) < 0.5, key
    assert staff_mean(demo, "content") < customer_mean(demo.customers, "content") - 0.3


def test_colleagues_believe_in_excellence_that_customers_do_not_see(demo: DemoData) -> None:
    believers = [a for a in demo.internal if sum(p.current == 5 for p in a.pillars.values()) >= 3]
    assert 0.4 <= len(believers) / len(demo.internal) <= 0.6
    for key in GAP_PILLARS:
        fives = sum(c.pillars[key].performance == 5 for c in demo.customers)
        assert fives / len(demo.customers) < 0.12, key


def test_colleagues_want_better_than_where_they_are(demo: DemoData) -> None:
    cells = [p for a in demo.internal for p in a.pillars.values()]
    assert 0.5 <= mean(p.desired - p.current for p in cells) <= 1.5
    assert sum(p.desired >= p.current for p in cells) / len(cells) >= 0.9


def test_each_colleague_ranks_every_pillar_once(demo: DemoData) -> None:
    for answer in demo.internal:
        assert sorted(p.rank for p in answer.pillars.values()) == list(range(1, 11))


def test_colleagues_bet_on_advertising_products_and_reputation(demo: DemoData) -> None:
    def mean_rank(keys: tuple[str, ...]) -> float:
        return mean(staff_mean(demo, key, "rank") for key in keys)

    believed = mean_rank(("advertising", "products", "reputation"))
    assert mean_rank(("service", "friction", "communication")) - believed >= 1.0
    assert believed <= 5.0  # 5.5 would be the middle of the ranking


def test_customers_value_service_friction_products_and_communication(demo: DemoData) -> None:
    by_importance = sorted(
        PILLAR_KEYS,
        key=lambda key: customer_mean(demo.customers, key, "importance"),
        reverse=True,
    )
    assert set(by_importance[:4]) == {"service", "friction", "products", "communication"}


def test_colleagues_do_not_agree(demo: DemoData) -> None:
    rankings = [{key: p.rank for key, p in a.pillars.items()} for a in demo.internal]
    # Seed 000 bets "you will not all agree": around 0.15–0.35, with a little margin.
    assert 0.12 <= kendalls_w(rankings) <= 0.38
    assert kendalls_w([rankings[0]] * 5) == pytest.approx(1.0)  # the formula itself


# -- who answers ------------------------------------------------------------------------------


def test_every_segment_is_well_represented(demo: DemoData) -> None:
    sizes = Counter(c.segment_key for c in demo.customers)
    assert set(sizes) == {s.key for s in demo.segments}
    assert min(sizes.values()) >= 90


def test_generations_include_a_small_silent_group(demo: DemoData) -> None:
    sizes = Counter(generation_of(c.birth_year) for c in demo.customers)
    assert all(sizes[key] >= 60 for key in MAIN_GENERATIONS), sizes
    assert 5 <= sizes["silent"] <= 15
    assert 0.01 <= sizes[None] / len(demo.customers) <= 0.05
    assert sizes["gen_alpha"] == 0
    years = [c.birth_year for c in demo.customers if c.birth_year is not None]
    assert max(years) <= DEMO_TODAY.year - 18


def test_generations_value_different_things(demo: DemoData) -> None:
    def by_generation(key: str) -> list[CustomerAnswer]:
        return [c for c in demo.customers if generation_of(c.birth_year) == key]

    boomers, gen_z = by_generation("boomers"), by_generation("gen_z")
    for key in ("in_person", "representatives"):
        gap = customer_mean(boomers, key, "importance") - customer_mean(gen_z, key, "importance")
        assert gap >= 0.5, key
    for key in ("digital", "friction"):
        gap = customer_mean(gen_z, key, "importance") - customer_mean(boomers, key, "importance")
        assert gap >= 0.2, key


def test_languages_and_consent(demo: DemoData) -> None:
    languages = Counter(c.language for c in demo.customers)
    assert 0.5 <= languages["fr"] / len(demo.customers) <= 0.6
    assert languages["fr"] + languages["en"] == len(demo.customers)
    assert 0.8 <= mean(c.consent for c in demo.customers) < 1.0


# -- scores that hang together ----------------------------------------------------------------


def test_summary_scores_follow_the_pillar_ratings(demo: DemoData) -> None:
    overall = [mean(p.performance or 0 for p in c.pillars.values()) for c in demo.customers]
    for name in ("nps", "csat", "ces"):
        scores = [getattr(c, name) for c in demo.customers]
        assert np.corrcoef(overall, scores)[0, 1] >= 0.5, name
    scores = [c.nps for c in demo.customers if c.nps is not None]
    assert -10 <= nps(scores) <= 12
    assert min(scores) <= 2  # a real tail of very unhappy customers


# -- verbatims --------------------------------------------------------------------------------


def test_comments_are_varied(demo: DemoData) -> None:
    written = comments(demo)
    assert 0.1 <= 1 - len(written) / len(demo.customers) <= 0.2  # about 15 % left empty
    assert len(set(written)) / len(written) >= 0.9
    assert not [text for text in written if re.search(r"[{}]", text)]  # every slot filled
    lengths = [len(words(text)) for text in written]
    assert min(lengths) >= 3 and max(lengths) >= 40
    sentences = Counter(
        re.sub(r"\d+", "#", sentence.lower().strip(" .!…"))
        for text in written
        for sentence in set(re.split(r"(?<=[.!?…])\s+", text))
    )
    _, most_used = sentences.most_common(1)[0]
    assert most_used <= 0.05 * len(written)


def test_comments_are_written_in_the_answer_language(demo: DemoData) -> None:
    for language, own, other in (
        ("fr", FRENCH_WORDS, ENGLISH_WORDS),
        ("en", ENGLISH_WORDS, FRENCH_WORDS),
    ):
        texts = comments(demo, language)
        hits = [(sum(w in own for w in words(t)), sum(w in other for w in words(t))) for t in texts]
        decided = [(mine, theirs) for mine, theirs in hits if mine or theirs]
        assert len(decided) >= 0.9 * len(texts), language
        assert sum(mine > theirs for mine, theirs in decided) >= 0.98 * len(decided), language


def test_comments_agree_with_the_scores(demo: DemoData) -> None:
    def mean_nps(has_marker: Callable[[CustomerAnswer], bool]) -> float:
        return mean(c.nps or 0 for c in demo.customers if c.comment and has_marker(c))

    def complains(c: CustomerAnswer) -> bool:
        return any(m in c.comment.lower() for m in COMPLAINT_MARKERS[c.language])

    def praises(c: CustomerAnswer) -> bool:
        return any(m in c.comment.lower() for m in PRAISE_MARKERS[c.language])

    assert mean_nps(praises) - mean_nps(complains) >= 1.5


def test_passives_mix_praise_and_complaint_in_one_sentence(demo: DemoData) -> None:
    passives = [c.comment for c in demo.customers if c.comment and c.nps in (7, 8)]
    mixed = [t for t in passives if re.search(r"\b(mais|par contre|en revanche|but|however)\b", t)]
    assert len(mixed) >= 0.2 * len(passives)


def test_french_is_written_with_its_quirks(demo: DemoData) -> None:
    french = " ".join(comments(demo, "fr"))
    assert "é" in french and "'" in french and "€" in " ".join(comments(demo))
    assert any(t == t.lower() and len(words(t)) > 3 for t in comments(demo, "fr"))


def test_colleagues_come_from_several_departments_and_languages(demo: DemoData) -> None:
    departments = Counter(a.department for a in demo.internal)
    assert len(departments) == 6 and max(departments.values()) <= 3
    written = [a.comment for a in demo.internal if a.comment]
    assert len(set(written)) == len(written) >= 6
    assert any(set(words(t)) & FRENCH_WORDS - ENGLISH_WORDS for t in written)
    assert any(set(words(t)) & {"the", "and", "our", "we"} for t in written)


# -- the phrase banks -------------------------------------------------------------------------


@pytest.mark.parametrize("language", sorted(BANKS))
def test_phrase_bank_covers_every_topic_segment_and_slot(language: str) -> None:
    bank = BANKS[language]
    assert set(bank.negative) == set(bank.positive) == set(TOPIC_PILLARS)
    segment_keys = {s.key for s in generate_demo(n_customers=0, n_colleagues=0).segments}
    assert set(bank.segment_negative) == set(bank.segment_positive) == segment_keys
    known_slots = set(bank.slots) | set(NUMBER_SLOTS) | {"pos", "neg"}
    for template in _templates(bank):
        used = {name for _, name, _, _ in Formatter().parse(template) if name}
        assert used <= known_slots, template


def _templates(bank: PhraseBank) -> Iterable[str]:
    """Every phrase of a bank, wherever it is stored."""
    for field in fields(bank):
        value = getattr(bank, field.name)
        groups = value.values() if isinstance(value, dict) else [value]
        for group in groups:
            if isinstance(group, tuple):
                yield from group


@pytest.mark.parametrize("language", sorted(BANKS))
def test_complaints_are_about_the_pillars_rated_low(language: str) -> None:
    """A customer who rates only the digital experience 1/5 complains about the app."""
    app_words = re.compile(r"\b(app|appli|site|website|checkout|paiement|panier|basket|mobile)\b")
    rng = random.Random(5)
    performance = {key: 1 if key == "digital" else 5 for key in PILLAR_KEYS}
    importance = dict.fromkeys(PILLAR_KEYS, 5)

    def share_about_the_app(tone: Tone) -> float:
        texts = [
            write_comment(
                rng,
                language=language,
                tone=tone,
                segment_key="busy_family",
                performance=performance,
                importance=importance,
            )
            for _ in range(200)
        ]
        return mean(bool(app_words.search(text.lower())) for text in texts)

    assert share_about_the_app("negative") >= 0.5
    assert share_about_the_app("positive") <= 0.2
