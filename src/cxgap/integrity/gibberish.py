"""Gibberish: text that is no French or English at all — keyboard mashes, words without a
vowel, one letter repeated, letter pairs neither language writes.

A word (4 letters or more, accents removed) is nonsense when any of these holds:

- it is mostly a walk along one keyboard row, QWERTY or AZERTY (``asdf``, ``qsdfgh``,
  ``poiuy``): a run of at least 4 neighbouring keys and 70 % of its letters in such runs;
- it has 5 letters or more and no vowel (``a e i o u y``), and is not an interjection
  (``grrr``, ``pfff``, ``hmmm``, ``zzz``…);
- it is one letter repeated (``aaaa``, ``hhhhhh``).

Letters repeated three times or more count once before these tests (``sooooo`` is ``so``,
``grrrr`` is ``gr``, ``pffff`` is ``pf``), so emphasis is never taken for nonsense.
- at least 2 of its letter pairs are pairs French and English never write (``qz``, ``jk``,
  ``vx``…) and they make a quarter of its pairs;

A text is gibberish when nonsense words hold at least half of its letters. Words under 4
letters are never judged, so short real answers ("RAS", "ok", "top", "nul", "bof") are never
flagged.
"""

from __future__ import annotations

import itertools
import re

from cxgap.integrity.model import Flag
from cxgap.integrity.normal import fold

_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm", "azertyuiop", "qsdfghjklm", "wxcvbn")
_NEIGHBOURS = frozenset(
    pair for row in _ROWS for a, b in itertools.pairwise(row) for pair in (a + b, b + a)
)
_VOWELS = frozenset("aeiouy")
_INTERJECTION = re.compile(r"(g?r+|p?f+|h?m+|b?r+|z+|p?s+t+|s?h+|m+)")
_NEVER = frozenset(
    [f"q{c}" for c in "abcdefghijklmnopqrstvwxyz"]
    + [f"j{c}" for c in "bcdfghjklmnpqrstvwxz"]
    + [f"{c}j" for c in "fghkmpqvwxz"]
    + [f"v{c}" for c in "bcdfghjkmnpqstwxz"]
    + [f"x{c}" for c in "bdfgjkqrvwxz"]
    + [f"z{c}" for c in "bcdfgjkmnpqrsvwx"]
    + [f"k{c}" for c in "bcdfgjpqvxz"]
    + [f"f{c}" for c in "bcdgjkmnpqvwxz"]
    + [f"h{c}" for c in "bcdfgjkpqvxz"]
    + [f"{a}{b}" for a, b in ("bq", "bx", "bz", "cq", "cv", "cx", "dq", "dx", "mq", "mx", "pq")]
    + [f"{a}{b}" for a, b in ("pv", "px", "pz", "gq", "gv", "gx", "gz", "wj", "wq", "wv", "wx")]
)
_WORD = re.compile(r"[a-z]+")
_STRETCH = re.compile(r"([a-z])\1{2,}")


def gibberish(text: str) -> Flag | None:
    """The flag with the words judged nonsense and why, or ``None`` for real text."""
    words = _WORD.findall(fold(text))
    letters = sum(len(word) for word in words)
    if letters < 4:
        return None
    judged = [(word, why) for word in words if (why := nonsense(word))]
    bad = sum(len(word) for word, _ in judged)
    if bad * 2 < letters:
        return None
    reasons = sorted({why for _, why in judged})
    return Flag("gibberish", {"words": " ".join(w for w, _ in judged[:3]), "why": reasons[0]})


def nonsense(word: str) -> str | None:
    """Why ``word`` (folded letters) is no French or English word, or ``None``."""
    if len(word) >= 4 and len(set(word)) == 1:
        return "repeated"
    word = _STRETCH.sub(r"\1", word)
    if len(word) < 4:
        return None
    if _keyboard_walk(word):
        return "keyboard"
    if len(word) >= 5 and not _VOWELS & set(word) and not _INTERJECTION.fullmatch(word):
        return "no_vowel"
    pairs = [word[i : i + 2] for i in range(len(word) - 1)]
    never = sum(pair in _NEVER for pair in pairs)
    if never >= 2 and never * 4 >= len(pairs):
        return "letter_pairs"
    return None


def _keyboard_walk(word: str) -> bool:
    covered, longest, run = 0, 1, 1
    for a, b in itertools.pairwise(word):
        if a + b in _NEIGHBOURS:
            run += 1
        else:
            covered += run if run >= 3 else 0
            run = 1
        longest = max(longest, run)
    covered += run if run >= 3 else 0
    return longest >= 4 and covered >= 0.7 * len(word)
