"""What every community text goes through (ideas, comments, articles, questions, answers):
stripped, its length checked, its language one of cxgap's, each refusal naming the field and
said in the reader's language by ``web.problem.<code>``."""

from __future__ import annotations

from cxgap.errors import FieldProblem, ValidationError
from cxgap.i18n import LOCALES

__all__ = ["checked_language", "checked_text", "refuse"]


def refuse(field: str, message: str, value: object = None, *, code: str, **params: object) -> None:
    """A ValidationError naming ``field`` and its value, said in the reader's language by
    ``web.problem.<code>``."""
    raise ValidationError([FieldProblem(field, message, value, code=code, params=params)])


def checked_text(field: str, value: str, low: int, high: int) -> str:
    """``value`` stripped, refused when shorter than ``low`` or longer than ``high``."""
    clean = value.strip()
    if not clean and low:
        refuse(field, "is required", code="required")
    if len(clean) < low:
        refuse(field, "is too short", clean, code="too_short", limit=low)
    if len(clean) > high:
        refuse(field, "is too long", f"{len(clean)} characters", code="too_long", limit=high)
    return clean


def checked_language(value: str) -> str:
    if value not in LOCALES:
        refuse("language", "is not a language", value, code="choice_of", allowed=", ".join(LOCALES))
    return value
