"""Generational cohorts by birth year (Pew Research Center boundaries)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Generation:
    key: str
    name_en: str
    name_fr: str
    first_year: int | None  # inclusive; None = open
    last_year: int | None  # inclusive; None = open


GENERATIONS: tuple[Generation, ...] = (
    Generation("silent", "Silent Generation", "Génération silencieuse", None, 1945),
    Generation("boomers", "Baby Boomers", "Baby-boomers", 1946, 1964),
    Generation("gen_x", "Generation X", "Génération X", 1965, 1980),
    Generation("millennials", "Millennials (Gen Y)", "Milléniaux (génération Y)", 1981, 1996),
    Generation("gen_z", "Generation Z", "Génération Z", 1997, 2012),
    Generation("gen_alpha", "Generation Alpha", "Génération Alpha", 2013, None),
)

GENERATION_KEYS: tuple[str, ...] = tuple(g.key for g in GENERATIONS)


def generation_of(birth_year: int | None) -> str | None:
    """The cohort key for a birth year, or None when the year is unknown.

    >>> generation_of(1970)
    'gen_x'
    >>> generation_of(1996), generation_of(1997)
    ('millennials', 'gen_z')
    """
    if birth_year is None:
        return None
    for generation in GENERATIONS:
        if generation.last_year is None or birth_year <= generation.last_year:
            return generation.key
    raise AssertionError("unreachable: the last cohort is open-ended")
