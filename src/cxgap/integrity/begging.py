"""Score begging: a verbatim saying the customer was asked for a top score ("mettez-moi 10",
"give us a 10 please", "only a 10 counts", "il m'a demandé de mettre 10"…).

Patterns run on folded text (lower case, no accents, straight apostrophes), with variants of
person, politeness, article and the way the score is written (10, dix, ten, 10/10, 9 ou 10,
5 étoiles, full marks, top score…). Each pattern has a name, reported with the match.
"""

from __future__ import annotations

import re

from cxgap.integrity.model import Flag
from cxgap.integrity.normal import fold_with_origins

_TOP_FR = (
    r"(?:un |le |la |une )?(?:10(?: ?/ ?10)?|dix|9 ou 10|neuf ou dix|5 etoiles|cinq etoiles"
    r"|la note maximale|la meilleure note|note maximale|20 ?/ ?20)"
)
_TOP_EN = (
    r"(?:a |an |the )?(?:10(?: ?/ ?10)?|ten|9 or 10|nine or ten|5 stars|five stars|full marks"
    r"|top marks|top score|perfect score|highest score|the highest)"
)
_ASK_FR = r"(?:demande|demandait|supplie|prie|insiste|exige|conseille|suggere|dit|explique)"
_ASK_EN = r"(?:asked|begged|told|urged|pushed|pressured|insisted|pleaded|requested|reminded)"
_WHO_FR = r"\b(?:m'a|nous a|m'ont|nous ont|on m'a|on nous a|il m'a|elle m'a)"
_GIVE_FR = r"(?:de |d')?(?:lui |leur )?(?:mettre|donner|noter|attribuer|laisser|cocher)"
_GIVE_EN = (
    r"(?:to (?:give|rate|score|leave|put|tick|mark)"
    r"(?: (?:him|her|them|it|us|the store|the shop))?(?: as)? |for )?"
)
_FAIL_FR = (
    r"(?:c'est|c est|ca compte comme|compte comme|equivaut a|= ?) ?(?:un |une )?"
    r"(?:echec|zero|0|mauvais|mauvaise note|negatif|sanction|note negative)"
)

PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("fr_imperative", rf"\b(?:mettez|donnez|notez|attribuez)(?:[- ](?:moi|nous))? ?{_TOP_FR}"),
        ("fr_imperative", rf"\b(?:mets|donne|note)[- ](?:moi|nous) ?{_TOP_FR}"),
        (
            "fr_asked",
            rf"{_WHO_FR}(?: bien| gentiment| clairement)? {_ASK_FR} {_GIVE_FR}"
            rf"(?: (?:a|au) \w+)? ?{_TOP_FR}",
        ),
        (
            "fr_only_counts",
            rf"\b(?:seul|seule|seuls|seules) {_TOP_FR} "
            r"(?:compte|comptent|est compte|sont comptes|vaut|valent)",
        ),
        (
            "fr_below_fails",
            rf"\b(?:en dessous de|en-dessous de|moins de|sous) (?:9|10|neuf|dix),? {_FAIL_FR}",
        ),
        ("fr_please", rf"{_TOP_FR} (?:svp|s'il vous plait|s'il te plait|stp|merci d'avance)"),
        ("en_asked", rf"\b{_ASK_EN} (?:me|us) {_GIVE_EN}{_TOP_EN}"),
        ("en_imperative", rf"\b(?:give|rate|score|mark|leave)(?: us| me) {_TOP_EN}"),
        (
            "en_imperative",
            rf"\bplease (?:give|rate|score|mark|leave|put)(?: us| me| him| her| them)? {_TOP_EN}",
        ),
        ("en_only_counts", rf"\bonly {_TOP_EN} (?:counts?|matters?|is counted|is a pass)"),
        (
            "en_below_fails",
            r"\b(?:anything )?(?:below|under|less than) (?:a )?(?:9|10|nine|ten) "
            r"(?:is|counts as|means) (?:a )?(?:fail|failure|zero|bad|negative)",
        ),
        ("en_please", rf"{_TOP_EN} (?:please|pls|plz)"),
    )
)


def begging(text: str) -> Flag | None:
    """The flag with the first pattern's name and the words it matched, or ``None``."""
    folded, origins = fold_with_origins(text)
    for name, pattern in PATTERNS:
        match = pattern.search(folded)
        if match:
            start, end = origins[match.start()], origins[match.end() - 1] + 1
            phrase = text[start:end].strip()
            return Flag("score_begging", {"pattern": name, "phrase": phrase})
    return None
