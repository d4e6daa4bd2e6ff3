"""French and English messages. Catalogues are JSON files per area under ``locales/<lang>/``;
every key exists in every language (a test checks it)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

LOCALES: tuple[str, ...] = ("en", "fr")
DEFAULT_LOCALE = "en"
_ROOT = Path(__file__).with_name("locales")


@cache
def catalog(locale: str) -> dict[str, str]:
    """All messages of ``locale`` merged from its JSON files."""
    merged: dict[str, str] = {}
    for path in sorted((_ROOT / locale).glob("*.json")):
        merged.update(json.loads(path.read_text(encoding="utf-8")))
    return merged


def translate(key: str, locale: str, /, **params: object) -> str:
    """The message ``key`` in ``locale`` (falling back to English, then to the key)."""
    text = catalog(locale if locale in LOCALES else DEFAULT_LOCALE).get(key)
    if text is None:
        text = catalog(DEFAULT_LOCALE).get(key, key)
    return text.format(**params) if params else text


def negotiate_locale(accept_language: str | None) -> str:
    """Pick fr or en from an Accept-Language header, honouring q-values.

    >>> negotiate_locale("fr-CH, fr;q=0.9, en;q=0.8")
    'fr'
    >>> negotiate_locale("de-DE,de;q=0.9")
    'en'
    """
    if not accept_language:
        return DEFAULT_LOCALE
    choices: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept_language.split(",")):
        pieces = part.strip().split(";")
        tag = pieces[0].strip().lower()[:2]
        quality = 1.0
        for param in pieces[1:]:
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag in LOCALES and quality > 0:
            choices.append((-quality, position, tag))
    return min(choices)[2] if choices else DEFAULT_LOCALE


def plural_form(count: int, locale: str) -> str:
    """``one`` or ``other``: the CLDR plural category for French and English.

    >>> plural_form(1, "en"), plural_form(0, "en"), plural_form(0, "fr"), plural_form(2, "fr")
    ('one', 'other', 'one', 'other')
    """
    if count == 1 or (locale == "fr" and count == 0):
        return "one"
    return "other"
