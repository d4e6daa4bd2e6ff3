"""The idea board's tags (``docs/community.md``): a name in each language and a colour from a
fixed palette (each dark enough for white text, WCAG AA 4.5:1), so a tag reads the same on
every page and no colour typed by hand can make it unreadable."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from cxgap.errors import FieldProblem, ValidationError

# colour -> its name's catalogue key (community_admin.colour.*); white on each is >= 4.5:1.
COLOURS: Mapping[str, str] = {
    "#2563eb": "blue",
    "#047857": "green",
    "#b45309": "amber",
    "#b91c1c": "red",
    "#7e22ce": "purple",
    "#be185d": "pink",
    "#0f766e": "teal",
    "#374151": "grey",
}
DEFAULT_COLOUR = "#2563eb"
MAX_NAME = 80


@dataclass(frozen=True)
class TagSpec:
    name_en: str
    name_fr: str
    colour: str


def check_tag(name_en: str, name_fr: str, colour: str) -> TagSpec:
    """A tag as typed: both names (1-80 characters, spaces folded) and a palette colour.

    >>> check_tag(" Delivery ", "Livraison", "#047857")
    TagSpec(name_en='Delivery', name_fr='Livraison', colour='#047857')
    """
    problems: list[FieldProblem] = []
    names = []
    for field, value in (("name_en", name_en), ("name_fr", name_fr)):
        clean = " ".join(value.split())
        if not clean:
            problems.append(FieldProblem(field, "is required", code="required"))
        elif len(clean) > MAX_NAME:
            problems.append(
                FieldProblem(
                    field,
                    f"is longer than {MAX_NAME} characters",
                    clean[:20] + "…",
                    code="too_long",
                    params={"limit": MAX_NAME},
                )
            )
        names.append(clean)
    chosen = colour.strip().lower()
    if chosen not in COLOURS:
        allowed = ", ".join(COLOURS)
        problems.append(
            FieldProblem(
                "colour",
                f"must be one of {allowed}",
                colour,
                code="choice_of",
                params={"allowed": allowed},
            )
        )
    if problems:
        raise ValidationError(problems, summary="Invalid tag")
    return TagSpec(names[0], names[1], chosen)
