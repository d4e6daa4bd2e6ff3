"""The customer survey of the demo: pillar scores, NPS, CSAT, CES, birth year and a verbatim.

Each customer has a *mood* (how the whole experience went) and a *leniency* (how generously
they use a scale); every score is drawn around the group means of :mod:`profiles` plus those
two, so NPS, CSAT, CES and the pillar ratings move together as in real surveys, and the
verbatim is written from the same scores.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

from cxgap.analytics.generations import GENERATIONS
from cxgap.demo import profiles as p
from cxgap.demo.profiles import PillarShift
from cxgap.demo.sampling import random_day, random_moment, shuffled_quota, to_scale
from cxgap.demo.story import delivery_slant
from cxgap.demo.verbatims import Slant, tone_for_nps, write_comment
from cxgap.pillars import CES_MAX, CSAT_MAX, NPS_MAX, SCALE_MAX, SCALE_MIN
from cxgap.schema import CustomerAnswer, PillarScores

SURVEY_DAYS = 183  # six months of answers before "today"
CONSENT_SHARE = 0.9
STRAIGHT_LINER_SHARE = 0.01  # a few careless answers, for the integrity screen to flag
EMPTY_COMMENT_SHARE = {"negative": 0.09, "mixed": 0.17, "positive": 0.2}
# Answers come in at lunch and in the evening, rarely at night.
CUSTOMER_HOURS = (
    *(1, 0.5, 0.3, 0.2, 0.2, 0.4, 1, 2),  # 0h-7h
    *(3, 3.5, 3.5, 3.5, 4.5, 4.5, 3.5, 3),  # 8h-15h
    *(3, 3.5, 4, 5, 5.5, 5, 3.5, 2),  # 16h-23h
)
# Latent-scale effects (see module docstring), tuned so that NPS lands between about -5 and +10.
MOOD_EFFECT = 0.55
INCIDENT_SHARE = 0.04
INCIDENT_MOOD = (-2.8, 0.5)  # mean and spread of an incident customer's mood
LENIENCY_SD = 0.35
PERFORMANCE_NOISE = 0.7
IMPORTANCE_NOISE = 0.75
NPS_CENTRE = 7.75
NPS_SLOPE = 3.0
OVERALL_CENTRE = 3.15

_GENERATIONS = {generation.key: generation for generation in GENERATIONS}


@dataclass(frozen=True)
class _Respondent:
    segment: str
    generation: str  # a key of cxgap.analytics.generations, or "unknown"
    language: str


def build_customer_answers(
    rng: random.Random,
    text_rng: random.Random,
    *,
    n: int,
    pillar_keys: Sequence[str],
    today: date,
) -> list[CustomerAnswer]:
    """``n`` answers over the six months before ``today``, oldest first.

    ``text_rng`` writes the verbatims, so that editing the phrase bank leaves every score
    unchanged.
    """
    respondents = _respondents(rng, n)
    moments = sorted(_moment(rng, today) for _ in range(n))
    # Pseudonymised customer numbers, distinct without a quadratic uniqueness check.
    references = rng.sample(range(10_000_000, 100_000_000), n)
    return [
        _answer(
            rng,
            text_rng,
            respondent,
            pillar_keys=tuple(pillar_keys),
            today=today,
            submitted_at=moments[index],
            external_id=f"demo-{index + 1:04d}",
            customer_ref=f"MLC-{references[index]}",
        )
        for index, respondent in enumerate(respondents)
    ]


def _respondents(rng: random.Random, n: int) -> list[_Respondent]:
    """Who answers: segment and cohort drawn jointly by quota, language by its own quota."""
    joint = {
        (segment, generation): share * conditional
        for segment, share in p.SEGMENT_SHARES.items()
        for generation, conditional in p.GENERATION_GIVEN_SEGMENT[segment].items()
    }
    pairs = shuffled_quota(rng, n, joint)
    languages = shuffled_quota(rng, n, p.LANGUAGE_SHARES)
    return [
        _Respondent(segment, generation, language)
        for (segment, generation), language in zip(pairs, languages, strict=True)
    ]


def _moment(rng: random.Random, today: date) -> datetime:
    day = random_day(rng, first=today - timedelta(days=SURVEY_DAYS), days=SURVEY_DAYS)
    return random_moment(rng, day, CUSTOMER_HOURS)


def _answer(
    rng: random.Random,
    text_rng: random.Random,
    who: _Respondent,
    *,
    pillar_keys: tuple[str, ...],
    today: date,
    submitted_at: datetime,
    external_id: str,
    customer_ref: str,
) -> CustomerAnswer:
    importance, performance = _pillar_scores(rng, who, pillar_keys)
    nps, csat, ces = _summary_scores(rng, importance, performance)
    return CustomerAnswer(
        pillars={
            key: PillarScores(importance=importance[key], performance=performance[key])
            for key in pillar_keys
        },
        nps=nps,
        csat=csat,
        ces=ces,
        birth_year=_birth_year(rng, who.generation, today),
        segment_key=who.segment,
        comment=_comment(text_rng, who, nps, importance, performance, submitted_at.date()),
        consent=rng.random() < CONSENT_SHARE,
        language=who.language,
        submitted_at=submitted_at,
        external_id=external_id,
        customer_ref=customer_ref,
    )


def _pillar_scores(
    rng: random.Random, who: _Respondent, pillar_keys: tuple[str, ...]
) -> tuple[dict[str, int], dict[str, int]]:
    """Importance and performance (1–5) for every pillar: the survey requires them all."""
    if rng.random() < STRAIGHT_LINER_SHARE:
        value = rng.choice((3, 4, 5, 5))
        return dict.fromkeys(pillar_keys, value), dict.fromkeys(pillar_keys, value)
    # A few customers lived an incident (a wrecked delivery, a lost order): their whole
    # answer collapses, which gives NPS its real-world tail of 0s and 1s.
    mood = rng.gauss(*INCIDENT_MOOD) if rng.random() < INCIDENT_SHARE else rng.gauss(0, 1)
    leniency = rng.gauss(0, LENIENCY_SD)
    importance_means, performance_means = _group_means(who.segment, who.generation, pillar_keys)
    gauss = rng.gauss  # the hot loop of large demos: 20 draws per answer
    lift = MOOD_EFFECT * mood + leniency
    importance = {
        key: min(SCALE_MAX, max(SCALE_MIN, round(mean + leniency / 2 + gauss(0, IMPORTANCE_NOISE))))
        for key, mean in zip(pillar_keys, importance_means, strict=True)
    }
    performance = {
        key: min(SCALE_MAX, max(SCALE_MIN, round(mean + lift + gauss(0, PERFORMANCE_NOISE))))
        for key, mean in zip(pillar_keys, performance_means, strict=True)
    }
    return importance, performance


@cache
def _group_means(
    segment: str, generation: str, pillar_keys: tuple[str, ...]
) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Mean importance and performance per pillar for one segment × cohort (4 × 6 groups,
    computed once each)."""

    def means(base: PillarShift, *shifts: PillarShift) -> tuple[float, ...]:
        return tuple(
            base.get(key, 3.0) + sum(shift.get(key, 0.0) for shift in shifts) for key in pillar_keys
        )

    return (
        means(
            p.CUSTOMER_IMPORTANCE,
            p.SEGMENT_IMPORTANCE_SHIFT.get(segment, {}),
            p.GENERATION_IMPORTANCE_SHIFT.get(generation, {}),
        ),
        means(
            p.CUSTOMER_PERFORMANCE,
            p.SEGMENT_PERFORMANCE_SHIFT.get(segment, {}),
            p.GENERATION_PERFORMANCE_SHIFT.get(generation, {}),
        ),
    )


def _summary_scores(
    rng: random.Random, importance: Mapping[str, int], performance: Mapping[str, int]
) -> tuple[int, int, int]:
    """NPS, CSAT and CES driven by the importance-weighted performance, so they agree."""
    weight = sum(importance.values())
    overall = sum(performance[key] * importance[key] for key in performance) / weight
    gap = overall - OVERALL_CENTRE
    nps = to_scale(NPS_CENTRE + NPS_SLOPE * gap + rng.gauss(0, 1.4), 0, NPS_MAX)
    csat = to_scale(3.3 + 1.2 * gap + rng.gauss(0, 0.55), 1, CSAT_MAX)
    # Effort (7 = very easy) follows friction above all.
    friction = performance.get("friction", overall) - p.CUSTOMER_PERFORMANCE["friction"]
    ces = to_scale(4.5 + 0.9 * friction + 0.7 * gap + rng.gauss(0, 0.9), 1, CES_MAX)
    return nps, csat, ces


def _birth_year(rng: random.Random, generation: str, today: date) -> int | None:
    cohort = _GENERATIONS.get(generation)
    if cohort is None:
        return None  # the ~3 % who skip the question
    last_adult_year = today.year - p.YOUNGEST_CUSTOMER_AGE
    last = min(cohort.last_year or last_adult_year, last_adult_year)
    first = min(cohort.first_year or p.OLDEST_CUSTOMER_BIRTH_YEAR, last)
    return rng.randint(first, last)


def _comment(
    rng: random.Random,
    who: _Respondent,
    nps: int,
    importance: Mapping[str, int],
    performance: Mapping[str, int],
    day: date,
) -> str:
    tone = tone_for_nps(rng, nps)
    if rng.random() < EMPTY_COMMENT_SHARE[tone]:
        return ""

    def written(stream: random.Random, slant: Slant | None = None) -> str:
        return write_comment(
            stream,
            language=who.language,
            tone=tone,
            segment_key=who.segment,
            performance=performance,
            importance=importance,
            slant=slant,
        )

    before = rng.getstate()
    written(rng)  # the main stream goes on as it always did
    again = random.Random()  # the same draws, slanted by the demo's story
    again.setstate(before)
    return written(again, delivery_slant(day))
