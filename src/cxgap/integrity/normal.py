"""Text folded for matching: lower case, no accents, straight apostrophes, single spaces."""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "\u00a0": " "})
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """``"Mettez-MOI  un 10 !"`` → ``"mettez-moi un 10 !"``, accents removed."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES).casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", bare).strip()


def letters_only(text: str) -> str:
    """The folded text with everything but letters and digits turned into single spaces."""
    return _SPACES.sub(" ", re.sub(r"[^a-z0-9]+", " ", fold(text))).strip()


def fold_with_origins(text: str) -> tuple[str, list[int]]:
    """:func:`fold`'s text, not stripped, and for each of its characters the position in
    ``text`` it comes from: a match in the folded text is quoted as the customer wrote it."""
    chars: list[str] = []
    origins: list[int] = []
    for position, char in enumerate(text.translate(_APOSTROPHES)):
        if char.isspace():
            if chars and chars[-1] != " ":
                chars.append(" ")
                origins.append(position)
            continue
        decomposed = unicodedata.normalize("NFKD", char.casefold())
        for part in decomposed:
            if not unicodedata.combining(part):
                chars.append(part)
                origins.append(position)
    return "".join(chars), origins
