"""The badges editor's rules (``docs/community.md``, "The badges editor"): a badge as the
team types it — names and descriptions in English and French, a rule ``metric >= N`` over
the activity the reputation code counts (``reputation.METRICS``), one-time or repeatable,
and a bundled icon — checked field by field, each refusal naming its field and value."""

from __future__ import annotations

from dataclasses import dataclass

from cxgap.community.badge_images import BUNDLED
from cxgap.community.badges import BadgeRule
from cxgap.community.reputation import METRICS
from cxgap.errors import FieldProblem, ValidationError

MAX_NAME = 80
MAX_DESCRIPTION = 300
MAX_THRESHOLD = 1_000_000


@dataclass(frozen=True)
class BadgeDraft:
    name_en: str
    name_fr: str
    description_en: str
    description_fr: str
    rule: BadgeRule
    repeatable: bool
    icon: str  # one of BUNDLED


def _text(field: str, value: str, limit: int, problems: list[FieldProblem]) -> str:
    clean = " ".join(value.split())
    if not clean:
        problems.append(FieldProblem(field, "is required", code="required"))
    elif len(clean) > limit:
        problems.append(
            FieldProblem(
                field,
                f"is longer than {limit} characters",
                code="too_long",
                params={"limit": limit},
            )
        )
    return clean


def _threshold(text: str, problems: list[FieldProblem]) -> int:
    clean = text.strip()
    try:
        value = int(clean)
    except ValueError:
        problems.append(FieldProblem("threshold", "must be a whole number", clean, code="integer"))
        return 1
    if not 1 <= value <= MAX_THRESHOLD:
        problems.append(
            FieldProblem(
                "threshold",
                f"must be a whole number from 1 to {MAX_THRESHOLD}",
                value,
                code="range",
                params={"low": 1, "high": MAX_THRESHOLD},
            )
        )
    return value


def _choice(field: str, value: str, allowed: tuple[str, ...], problems: list[FieldProblem]) -> str:
    if value not in allowed:
        shown = ", ".join(allowed)
        problems.append(
            FieldProblem(
                field, f"must be one of {shown}", value, code="choice_of", params={"allowed": shown}
            )
        )
    return value


def check_badge(
    *,
    name_en: str,
    name_fr: str,
    description_en: str,
    description_fr: str,
    metric: str,
    threshold: str,
    repeatable: bool,
    icon: str,
) -> BadgeDraft:
    """The badge the fields describe, or a ``ValidationError`` listing every problem.

    >>> check_badge(name_en="Helper", name_fr="Aidant", description_en="10 answers",
    ...             description_fr="10 réponses", metric="answers", threshold="10",
    ...             repeatable=False, icon="first_answer.svg").rule.text
    'answers >= 10'
    """
    problems: list[FieldProblem] = []
    names = (
        _text("name_en", name_en, MAX_NAME, problems),
        _text("name_fr", name_fr, MAX_NAME, problems),
        _text("description_en", description_en, MAX_DESCRIPTION, problems),
        _text("description_fr", description_fr, MAX_DESCRIPTION, problems),
    )
    chosen = _choice("metric", metric.strip(), METRICS, problems)
    value = _threshold(threshold, problems)
    picture = _choice("icon", icon.strip(), BUNDLED, problems)
    if problems:
        raise ValidationError(problems, summary="Invalid badge")
    return BadgeDraft(*names, rule=BadgeRule(chosen, value), repeatable=repeatable, icon=picture)
