"""Which address form a reply uses: French *tu* and *vous* from real pronoun, possessive and
verb forms; English casual or stiff register from marker words.

French *tu*: the pronouns ``tu``, ``te``, ``t'``, ``toi``, the possessives ``ton``, ``ta``,
``tes``, ``le tien``…, and second-person-singular imperatives (``n'hésite pas``,
``contacte-nous``, ``dis-moi``). French *vous*: ``vous``, ``votre``, ``vos``, ``le vôtre``…,
``veuillez`` and ``-ez`` imperatives (``n'hésitez pas``, ``contactez-nous``). "ton" after an
article is the noun (*le ton*), not the possessive.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from cxgap.tone.phrases import CASUAL_EN, STIFF_EN, A

TU_FR = re.compile(
    "|".join(
        (
            r"\b(?:tu|te|toi|tes|ta)\b",
            rf"\bt{A}(?=[a-zàâäéèêëîïôöûüœh])",
            r"(?<!\ble\s)(?<!\bun\s)(?<!\bdu\s)(?<!\bau\s)(?<!\bce\s)(?<!\bmême\s)\bton\b",
            r"\b(?:le\s+tien|la\s+tienne|les\s+tien(?:ne)?s)\b",
            rf"\bn{A}h[ée]site\s+pas\b",
            r"\b(?!\w*ons-)(?!(?:sommes|dites|faites|[êe]tes|le|la|les|en|y)-)\w+(?<!z)-(?:nous|moi)\b",
        )
    ),
    re.IGNORECASE,
)
VOUS_FR = re.compile(
    "|".join(
        (
            r"\b(?:vous|votre|vos|veuillez)\b",
            r"\b(?:le|la|les)\s+v[ôo]tres?\b",
            rf"\bn{A}h[ée]sitez\s+pas\b",
            r"\b(?:\w+ez|dites|faites)-(?:nous|moi)\b",
        )
    ),
    re.IGNORECASE,
)


def wrong_address(text: str, language: str, expected: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, found) of each form that contradicts ``expected`` (``vous`` or ``tu``):
    in French the other pronoun family; in English a casual word in a formal reply or a
    stiff formula in a casual one."""
    if language == "fr":
        pattern, found = (TU_FR, "tu") if expected == "vous" else (VOUS_FR, "vous")
    else:
        pattern, found = (CASUAL_EN, "casual") if expected == "vous" else (STIFF_EN, "stiff")
    for match in pattern.finditer(text):
        yield match.start(), match.end(), found
