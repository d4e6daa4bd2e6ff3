"""French, English or something else: the language of one verbatim.

Most verbatims say so in their first few words ("the", "was", "très", "c'est"), so a
function-word count decides them without a model. The rest (short, ambiguous, or in another
language) goes to ``py3langid``, a bundled n-gram model over 97 languages (BSD licence), whose
answer is folded into French, English or other. On very short texts ("Top !", "Bof") that
model guesses wildly among 97 languages, so there it only arbitrates between French and
English unless it is confident.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cached_property
from typing import Any

from cxgap.text.dependencies import require
from cxgap.text.protocols import Language

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def wordset(words: str) -> frozenset[str]:
    """The space-separated words of ``words``, as a set (the word lists below read better so)."""
    return frozenset(words.split())


# Function words that are common in one language and rare in the other *and* in the
# neighbouring Romance and Germanic languages (so "la", "de", "que", "is", "was" are left out).
FRENCH_MARKERS = wordset(
    "le les des est et pas je j c qu pour avec très mais du au aux cette nous vous ne n "
    "dans été était ça suis ai une sur rien jamais toujours déjà aussi avons avez ont "
    "sont mes ses vos nos leur été après chez livré commande reçu merci bonjour"
)
ENGLISH_MARKERS = wordset(
    "the and to of it i my you not with this that but have had they very would will "
    "there been were are my our your from what when which could should than just "
    "didn't don't can't it's i'm i've ordered delivery received thanks"
)
# One-word answers are common in surveys and too short for any n-gram model.
FRENCH_SHORT_ANSWERS = wordset(
    "bof nul nulle parfait parfaite merci ras génial géniale déçu déçue impeccable moyen "
    "honteux lamentable rapide lent cher chère bien satisfait satisfaite nickel"
)
ENGLISH_SHORT_ANSWERS = wordset(
    "perfect awful great terrible thanks fine good bad slow fast cheap expensive "
    "disappointed amazing rubbish poor lovely satisfied useless"
)
# Below this share of model confidence a short text is not called "other".
_SHORT_TEXT_WORDS = 4
_OTHER_CONFIDENCE = 0.9


def marker_counts(words: Iterable[str]) -> tuple[int, int]:
    """How many words are French markers, and how many English ones.

    >>> marker_counts(["the", "delivery", "was", "late"])
    (0, 2)
    """
    french = english = 0
    for word in words:
        french += word in FRENCH_MARKERS
        english += word in ENGLISH_MARKERS
    return french, english


def obvious_language(words: list[str]) -> Language | None:
    """The fast path: a clear majority of marker words, or ``None`` to ask the model.

    >>> obvious_language(["bof"]), obvious_language(words_of("the sofa and the bed were late"))
    ('fr', 'en')
    """
    if len(words) < _SHORT_TEXT_WORDS:
        short = _short_answer_language(words)
        if short:
            return short
    french, english = marker_counts(words)
    if french >= 2 and french >= 3 * english + 2:
        return "fr"
    if english >= 2 and english >= 3 * french + 2:
        return "en"
    return None


def _short_answer_language(words: list[str]) -> Language | None:
    french = any(word in FRENCH_SHORT_ANSWERS for word in words)
    english = any(word in ENGLISH_SHORT_ANSWERS for word in words)
    if french != english:
        return "fr" if french else "en"
    return None


def words_of(text: str) -> list[str]:
    """Lower-case words, apostrophes split off as French elisions are ("c'est" → c, est)."""
    return _WORD.findall(text.lower().replace("’", "'"))


class RuleAndModelDetector:
    """The default :class:`~cxgap.text.protocols.LanguageDetector`.

    >>> RuleAndModelDetector().detect("Le livreur était très aimable et la commande complète.")
    'fr'
    >>> RuleAndModelDetector().detect("   ")
    ''
    """

    def __init__(self, model: Callable[[str], list[tuple[str, float]]] | None = None) -> None:
        self._model = model

    def detect(self, text: str) -> Language:
        words = words_of(text)
        if not words:
            return ""
        return obvious_language(words) or self._ask_model(text, len(words))

    def _ask_model(self, text: str, n_words: int) -> Language:
        ranking = (self._model or self._py3langid)(text)
        best, confidence = ranking[0]
        if best in ("fr", "en"):
            return best  # type: ignore[return-value]
        if n_words >= _SHORT_TEXT_WORDS or confidence >= _OTHER_CONFIDENCE:
            return "other"
        return _likelier_of_french_and_english(ranking)

    @cached_property
    def _py3langid(self) -> Callable[[str], list[tuple[str, float]]]:
        langid: Any = require("py3langid.langid", purpose="Language detection")
        identifier = langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE, norm_probs=True)

        def rank(text: str) -> list[tuple[str, float]]:
            return [(str(code), float(p)) for code, p in identifier.rank(text)]

        return rank


def _likelier_of_french_and_english(ranking: list[tuple[str, float]]) -> Language:
    for code, _ in ranking:
        if code in ("fr", "en"):
            return code  # type: ignore[return-value]
    return "other"
