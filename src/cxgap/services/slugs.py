"""Keys (slugs) derived from names, so nobody has to type one.

A key appears in URLs and CSV headers (``services.workspaces.check_key``): a lower-case
letter, then ``a-z``, ``0-9``, ``-`` or ``_``, at most 63 characters. ``slugify`` folds
accents, lower-cases and joins the words with hyphens; ``free_key`` makes it unique in its
workspace (``-2``, ``-3``… when it is taken). The same rules run in the browser while the
name is typed (``static/forms.js``), and a key typed by hand is kept as it is.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

MAX_KEY = 63
# Letters that NFKD does not split into a base letter and an accent.
_LIGATURES = str.maketrans(
    {"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "ø": "o", "Ø": "o", "đ": "d",
     "ł": "l", "Ł": "l"}
)  # fmt: skip
_SEPARATORS = re.compile(r"[^a-z0-9]+")


def slugify(name: str, *, fallback: str = "item", max_length: int = MAX_KEY) -> str:
    """``name`` as a key: accents folded, lower case, words joined by hyphens; ``fallback``
    first when nothing usable is left or it would not start with a letter.

    >>> slugify("Été 2027 : clients fidèles")
    'ete-2027-clients-fideles'
    >>> slugify("L'Œuvre d'art"), slugify("2027 survey", fallback="survey"), slugify("!!")
    ('l-oeuvre-d-art', 'survey-2027-survey', 'item')
    """
    folded = unicodedata.normalize("NFKD", name.translate(_LIGATURES))
    ascii_only = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    slug = _SEPARATORS.sub("-", ascii_only).strip("-")
    if not slug[:1].isalpha() or not slug[:1].isascii():
        slug = f"{fallback}-{slug}".strip("-")
    return _cut(slug, max_length)


def _cut(slug: str, max_length: int) -> str:
    """At most ``max_length`` characters, cut at a hyphen when one is near the end."""
    if len(slug) <= max_length:
        return slug
    cut = slug[:max_length]
    hyphen = cut.rfind("-")
    return cut[:hyphen] if hyphen > max_length // 2 else cut


def unique_slug(base: str, taken: Collection[str]) -> str:
    """``base``, or ``base-2``, ``base-3``… the first not in ``taken``, within 63 characters.

    >>> unique_slug("spring", {"spring", "spring-2"})
    'spring-3'
    """
    if base not in taken:
        return base
    n = 2
    while True:
        suffix = f"-{n}"
        candidate = _cut(base, MAX_KEY - len(suffix)) + suffix
        if candidate not in taken:
            return candidate
        n += 1


def free_key(
    session: Session,
    column: InstrumentedAttribute[str],
    name: str,
    *,
    scope: InstrumentedAttribute[int] | None = None,
    scope_id: int | None = None,
    fallback: str = "item",
    reserved: Collection[str] = (),
) -> str:
    """A key for ``name`` that no row has in ``column`` (within ``scope == scope_id`` when
    given, e.g. the workspace) and that is not ``reserved`` (a page's address like ``new``)."""
    base = slugify(name, fallback=fallback)
    # Every candidate starts with base's first 30 characters (``_cut`` keeps more than that).
    query = select(column).where(column.startswith(base[:30], autoescape=True))
    if scope is not None:
        query = query.where(scope == scope_id)
    taken = set(session.scalars(query)) | set(reserved)
    return unique_slug(base, taken)
