"""Power users: a score from what a person gave the community, and levels over it
(``docs/community.md``, "Power users and badges").

The score counts what others found useful, not volume: an accepted answer 15 points, a
helpful vote on one of their answers 2, one of their ideas built 25, a vote on one of their
ideas 1 (at most 100 in all: popularity is not expertise), and tenure one point a month (at
most 24). The workspace edits the levels' thresholds; the first level starts at 0.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from itertools import pairwise

from cxgap.errors import FieldProblem, ValidationError

WEIGHTS: Mapping[str, int] = {
    "accepted_answers": 15,
    "helpful_votes": 2,
    "ideas_built": 25,
}
VOTES_CAP = 100
TENURE_CAP = 24
_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


@dataclass(frozen=True)
class Contribution:
    """What one person did in a workspace's community (counts, and days since they joined)."""

    accepted_answers: int = 0
    helpful_votes: int = 0
    answers: int = 0
    customers_helped: int = 0  # distinct people whose question they answered
    ideas: int = 0
    ideas_built: int = 0
    votes_received: int = 0
    tenure_days: int = 0

    def value(self, metric: str) -> int:
        """The count named ``metric`` (a field, or ``score``)."""
        if metric == "score":
            return score(self)
        return int(getattr(self, metric))


METRICS: tuple[str, ...] = (*(f.name for f in fields(Contribution)), "score")


def score(c: Contribution) -> int:
    """A person's score.

    >>> score(Contribution(accepted_answers=3, helpful_votes=10, ideas_built=1,
    ...                    votes_received=250, tenure_days=400))
    203
    """
    weighted = sum(weight * int(getattr(c, name)) for name, weight in WEIGHTS.items())
    return weighted + min(c.votes_received, VOTES_CAP) + min(c.tenure_days // 30, TENURE_CAP)


@dataclass(frozen=True)
class Level:
    key: str
    name_en: str
    name_fr: str
    threshold: int

    def name(self, locale: str) -> str:
        return self.name_fr if locale == "fr" else self.name_en


DEFAULT_LEVELS: tuple[Level, ...] = (
    Level("newcomer", "Newcomer", "Nouveau venu", 0),
    Level("contributor", "Contributor", "Contributeur", 20),
    Level("regular", "Regular", "Habitué", 100),
    Level("expert", "Expert", "Expert", 300),
    Level("leader", "Community leader", "Pilier de la communauté", 800),
)


def check_levels(levels: Sequence[Level]) -> tuple[Level, ...]:
    """Levels as the team edits them: distinct keys, the first at 0, thresholds rising."""
    problems: list[FieldProblem] = []
    if not levels:
        problems.append(FieldProblem("levels", "needs at least one level", code="required"))
    elif levels[0].threshold != 0:
        problems.append(
            FieldProblem(
                "threshold",
                "of the first level must be 0",
                levels[0].threshold,
                row=1,
                code="level_first",
            )
        )
    for row, (before, level) in enumerate(pairwise(levels), start=2):
        if level.threshold <= before.threshold:
            problems.append(
                FieldProblem(
                    "threshold",
                    "must be above the level before",
                    level.threshold,
                    row=row,
                    code="level_order",
                )
            )
    for row, level in enumerate(levels, start=1):
        if not _KEY.match(level.key):
            problems.append(
                FieldProblem("key", "is not a valid key", level.key, row=row, code="status_key")
            )
    if len({level.key for level in levels}) != len(levels):
        problems.append(FieldProblem("key", "is used twice", code="duplicate"))
    if problems:
        raise ValidationError(problems, summary="Invalid levels")
    return tuple(levels)


def level_of(points: int, levels: Sequence[Level] = DEFAULT_LEVELS) -> Level:
    """The highest level whose threshold ``points`` reach.

    >>> level_of(99).key, level_of(100).key, level_of(0).key
    ('contributor', 'regular', 'newcomer')
    """
    reached = levels[0]
    for level in levels:
        if points >= level.threshold:
            reached = level
    return reached


def leaderboard(scores: Mapping[int, int], limit: int = 20) -> list[tuple[int, int]]:
    """``(person id, score)`` best first, ties by the lower id (the earlier member); people
    with no points are left out."""
    ranked = sorted(
        ((pid, pts) for pid, pts in scores.items() if pts > 0), key=lambda item: (-item[1], item[0])
    )
    return ranked[:limit]
