"""An idea's status: a name the workspace chooses over one of six fixed kinds.

The kind carries the behaviour (Fider's six states): ``open`` ideas take votes and are on the
board; ``planned`` and ``started`` are the roadmap's first columns, ``completed`` its last and
the changelog's entries; ``declined`` and ``duplicate`` close an idea (a duplicate is merged
into another, its votes and followers moved there).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, get_args

from cxgap.errors import FieldProblem, ValidationError

StatusKind = Literal["open", "planned", "started", "completed", "declined", "duplicate"]
KINDS: tuple[StatusKind, ...] = get_args(StatusKind)
ROADMAP: tuple[StatusKind, ...] = ("planned", "started", "completed")
CLOSED: frozenset[StatusKind] = frozenset({"completed", "declined", "duplicate"})
_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


@dataclass(frozen=True)
class StatusSpec:
    """A status as the workspace defines it; ``names`` maps a locale to its label."""

    key: str
    kind: StatusKind
    name_en: str
    name_fr: str

    def name(self, locale: str) -> str:
        return self.name_fr if locale == "fr" else self.name_en


DEFAULT_STATUSES: tuple[StatusSpec, ...] = (
    StatusSpec("open", "open", "Open", "Ouverte"),
    StatusSpec("under_review", "open", "Being studied", "À l'étude"),
    StatusSpec("planned", "planned", "Planned", "Prévue"),
    StatusSpec("started", "started", "In progress", "En cours"),
    StatusSpec("completed", "completed", "Built", "Réalisée"),
    StatusSpec("declined", "declined", "Declined", "Refusée"),
    StatusSpec("duplicate", "duplicate", "Duplicate", "Doublon"),
)


def check_kind(value: str) -> StatusKind:
    """``value`` as a status kind, or a ``ValidationError`` naming it and the kinds allowed.

    >>> check_kind("planned")
    'planned'
    """
    for kind in KINDS:
        if kind == value:
            return kind
    allowed = ", ".join(KINDS)
    problem = FieldProblem(
        "kind", f"must be one of {allowed}", value, code="status_kind", params={"allowed": allowed}
    )
    raise ValidationError([problem], summary="Invalid status")


def check_status(key: str, kind: str, name_en: str, name_fr: str) -> StatusSpec:
    """A status as typed by a team member, checked: a short lower-case key, a known kind and
    a name in each language (a blank one takes the other's)."""
    clean = key.strip()
    if not _KEY.match(clean):
        message = "must be 1-40 lower-case letters, digits, '_' or '-'"
        problem = FieldProblem("key", message, key, code="status_key")
        raise ValidationError([problem], summary="Invalid status")
    english, french = name_en.strip(), name_fr.strip()
    if not english and not french:
        problem = FieldProblem("name_en", "needs a name in English or in French", code="required")
        raise ValidationError([problem], summary="Invalid status")
    return StatusSpec(clean, check_kind(kind.strip()), english or french, french or english)


def takes_votes(kind: StatusKind) -> bool:
    """Closed ideas (built, declined, merged) take no new votes; the others do."""
    return kind not in CLOSED


def is_public(kind: StatusKind) -> bool:
    """A duplicate leaves the board (its original stands for it); every other kind shows."""
    return kind != "duplicate"
