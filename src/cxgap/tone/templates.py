"""Reply templates per situation, in English and in French (*vous* and *tu*), with the
customer's details filled in.

Templates are plain text files under ``templates/<language>/<situation>[.<address>].txt``.
A placeholder without a value stays visible in the text (``{order_ref}``) and is reported,
never replaced by an empty string.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cxgap.errors import ValidationError
from cxgap.tone.model import ADDRESSES, LANGUAGES

TEMPLATE_DIR = Path(__file__).with_name("templates")
SITUATIONS: tuple[str, ...] = (
    "late_delivery",
    "refund",
    "defect",
    "billing_error",
    "rude_staff",
    "follow_up",
    "praise",
    "information",
)
# Taxonomy topics (cxgap.text.taxonomy) that point to each complaint situation, in the order
# they are tried: a case about a faulty product returned for a refund is a refund.
SITUATION_TOPICS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("billing_error", ("billing",)),
    ("refund", ("returns_refunds",)),
    ("defect", ("product_quality", "after_sales")),
    ("late_delivery", ("delivery",)),
    ("rude_staff", ("staff_attitude",)),
    ("follow_up", ("waiting_time", "customer_service", "communication")),
)
VAR_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")
PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")


@dataclass(frozen=True)
class FilledTemplate:
    situation: str
    language: str
    address: str
    text: str
    missing: tuple[str, ...]  # placeholders left visible: no value was given
    unused: tuple[str, ...]  # values given that the template does not use


def choose_situation(topics: Sequence[str], sentiment: str) -> str:
    """The situation of a case from its topics and the customer's sentiment.

    >>> choose_situation(["delivery", "price"], "negative")
    'late_delivery'
    >>> choose_situation(["delivery"], "positive"), choose_situation(["price"], "neutral")
    ('praise', 'information')
    """
    if sentiment == "positive":
        return "praise"
    for situation, keys in SITUATION_TOPICS:
        if any(key in topics for key in keys):
            return situation
    return "follow_up" if sentiment == "negative" else "information"


def template_text(situation: str, language: str, address: str = "vous") -> str:
    """The raw template, placeholders unfilled."""
    _check_choice("situation", situation, SITUATIONS)
    _check_choice("language", language, LANGUAGES)
    _check_choice("address", address, ADDRESSES)
    return _read(situation, language, address if language == "fr" else "")


@cache
def _read(situation: str, language: str, address: str) -> str:
    name = f"{situation}.{address}.txt" if address else f"{situation}.txt"
    return (TEMPLATE_DIR / language / name).read_text(encoding="utf-8")


def placeholders_of(text: str) -> tuple[str, ...]:
    """The placeholders of a template, in order, each once."""
    return tuple(dict.fromkeys(m[1] for m in PLACEHOLDER.finditer(text)))


def fill_template(
    situation: str, language: str, values: Mapping[str, str], address: str = "vous"
) -> FilledTemplate:
    """The template with ``values`` filled in; placeholders without a value stay visible."""
    for name in values:
        if not VAR_NAME.fullmatch(name):
            raise ValidationError.single(
                "var", "must be a lower-case name (a-z, 0-9, _)", name, code="format"
            )
    text = template_text(situation, language, address)
    names = placeholders_of(text)
    given = {k: v for k, v in values.items() if v.strip()}
    # One pass: a value that itself holds "{x}" is never filled again.
    filled = PLACEHOLDER.sub(lambda m: given.get(m[1], m[0]), text)
    return FilledTemplate(
        situation=situation,
        language=language,
        address=address if language == "fr" else "vous",
        text=filled,
        missing=tuple(n for n in names if n not in given),
        unused=tuple(sorted(set(values) - set(names))),
    )


def _check_choice(field: str, value: str, allowed: Sequence[str]) -> None:
    if value not in allowed:
        raise ValidationError.single(
            field,
            f"must be one of {', '.join(allowed)}",
            value,
            code="choice",
            params={"allowed": ", ".join(allowed)},
        )
