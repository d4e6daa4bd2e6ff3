"""Badges defined as data: a name and description in both languages, an image, a rule over
a person's contribution (``"accepted_answers >= 10"``), one-time or repeatable
(``docs/community.md``, "Power users and badges").

A one-time badge is held while its rule holds; a repeatable one is held once per multiple of
its threshold (10 accepted answers: once; 25: twice). When the rule stops holding (an answer
no longer accepted, an idea reopened) the badge, or its extra copies, are revoked: what a
person shows on a social profile stays true.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cxgap.community.reputation import METRICS, Contribution
from cxgap.errors import FieldProblem, ValidationError

_RULE = re.compile(r"^\s*([a-z_]+)\s*>=\s*(\d{1,7})\s*$")


@dataclass(frozen=True)
class BadgeRule:
    metric: str
    threshold: int

    @property
    def text(self) -> str:
        return f"{self.metric} >= {self.threshold}"


def parse_rule(text: str) -> BadgeRule:
    """``metric >= N`` with a known metric and N at least 1, or an error naming the value.

    >>> parse_rule(" accepted_answers>=10 ").text
    'accepted_answers >= 10'
    """
    match = _RULE.match(text)
    if match is None:
        problem = FieldProblem("rule", "must read 'metric >= N'", text, code="badge_rule")
        raise ValidationError([problem], summary="Invalid badge rule")
    metric, threshold = match.group(1), int(match.group(2))
    if metric not in METRICS:
        allowed = ", ".join(METRICS)
        problem = FieldProblem("rule", f"must use one of {allowed}", metric,
                               code="choice_of", params={"allowed": allowed})  # fmt: skip
        raise ValidationError([problem], summary="Invalid badge rule")
    if threshold < 1:
        problem = FieldProblem("rule", "needs a threshold of at least 1", threshold,
                               code="badge_threshold")  # fmt: skip
        raise ValidationError([problem], summary="Invalid badge rule")
    return BadgeRule(metric, threshold)


@dataclass(frozen=True)
class BadgeSpec:
    key: str
    name_en: str
    name_fr: str
    description_en: str
    description_fr: str
    image: str  # a file of web/static/badges/
    rule: BadgeRule
    repeatable: bool = False

    def name(self, locale: str) -> str:
        return self.name_fr if locale == "fr" else self.name_en

    def description(self, locale: str) -> str:
        return self.description_fr if locale == "fr" else self.description_en


def _spec(key: str, names: tuple[str, str], texts: tuple[str, str], rule: str,
          repeatable: bool = False) -> BadgeSpec:  # fmt: skip
    return BadgeSpec(key, *names, *texts, f"{key}.svg", parse_rule(rule), repeatable)


DEFAULT_BADGES: tuple[BadgeSpec, ...] = (
    _spec("first_answer", ("First answer", "Première réponse"),
          ("Answered a customer's question", "A répondu à la question d'un client"),
          "answers >= 1"),
    _spec("ten_accepted", ("Trusted answers", "Réponses de confiance"),
          ("10 answers accepted (again at every 10)", "10 réponses acceptées (à chaque dizaine)"),
          "accepted_answers >= 10", repeatable=True),
    _spec("helped_50", ("Helped 50 customers", "A aidé 50 clients"),
          ("Answered the questions of 50 different customers",
           "A répondu aux questions de 50 clients différents"),
          "customers_helped >= 50"),
    _spec("first_idea_built", ("Idea built", "Idée réalisée"),
          ("One of their ideas was built", "Une de ses idées a été réalisée"),
          "ideas_built >= 1"),
    _spec("popular_idea", ("Popular idea", "Idée populaire"),
          ("Their ideas received 25 votes", "Ses idées ont reçu 25 votes"),
          "votes_received >= 25"),
    _spec("one_year", ("One year with us", "Un an parmi nous"),
          ("A member of the community for a year", "Membre de la communauté depuis un an"),
          "tenure_days >= 365"),
)  # fmt: skip


def copies_earned(spec: BadgeSpec, contribution: Contribution) -> int:
    """How many copies of the badge the contribution earns: 0 or 1, or for a repeatable
    badge one per multiple of the threshold.

    >>> spec = DEFAULT_BADGES[1]
    >>> [copies_earned(spec, Contribution(accepted_answers=n)) for n in (9, 10, 25)]
    [0, 1, 2]
    """
    value = contribution.value(spec.rule.metric)
    times = value // spec.rule.threshold
    return times if spec.repeatable else min(times, 1)


def reconcile(held: int, earned: int) -> int:
    """Copies to award (positive) or revoke (negative) so that ``held`` becomes ``earned``."""
    return earned - held
