"""The language patterns of the tone check, French and English.

Patterns are compiled once, case-insensitive; ``A`` stands for either apostrophe (' or ’)
since replies are often pasted from word processors.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

A = "['’]"


def _any(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


# --- blaming the customer ---------------------------------------------------------------
# "You should have received it" is the company's failure, not the customer's: verbs of
# receiving and being told are excluded after "should have" / "auriez dû".
_RECEIVED_EN = (
    r"(?!\s+(?:received|got|gotten|been|heard|seen\s+(?:an?|our)\s+(?:e-?mail|message|sms)))"
)
_RECEIVED_FR = r"(?!\s+(?:recevoir|être|avoir\s+(?:reçu|été)|obtenir))"
BLAME = {
    "en": _any(
        rf"\byou\s+(?:should|could|must|ought\s+to)\s*(?:have|{A}ve)\b{_RECEIVED_EN}",
        r"\byou\s+should\s+not\s+have\b",
        r"\byou\s+(?:failed|neglected|forgot)\s+to\b",
        r"\byou\s+(?:did\s+not|didn" + A + r"t)\s+(?:read|follow|check|provide|fill)\b",
        r"\bas\s+(?:(?:previously|already|clearly)\s+)?(?:stated|mentioned|explained|indicated)\b",
        r"\bas\s+(?:i|we)\s+(?:already\s+)?(?:said|told\s+you|explained)\b",
        r"\bper\s+my\s+(?:last|previous)\s+(?:e-?mail|message)\b",
        rf"\b(?:it\s+(?:is|was)|it{A}s)\s+your\s+(?:own\s+)?(?:fault|responsibility|mistake)\b",
        r"\byour\s+(?:own\s+)?(?:fault|mistake)\b",
        r"\bif\s+you\s+had\s+(?:read|followed|checked)\b",
    ),
    "fr": _any(
        rf"\b(?:vous\s+auriez|tu\s+aurais)\s+(?:d[uû]|pu)\b{_RECEIVED_FR}",
        r"\b(?:vous\s+n" + A + r"auriez|tu\s+n" + A + r"aurais)\s+pas\s+d[uû]\b",
        r"\bcomme\s+(?:(?:d[ée]j[àa]|pr[ée]c[ée]demment|clairement)\s+)?"
        r"(?:indiqu[ée]e?s?|mentionn[ée]e?s?|pr[ée]cis[ée]e?s?|expliqu[ée]e?s?|sp[ée]cifi[ée]e?s?)\b",
        r"\bcomme\s+(?:je|nous)\s+(?:vous|te|t" + A + r")\s*(?:l" + A + r")?\s*"
        r"(?:ai|avons)\s+(?:d[ée]j[àa]\s+)?(?:dit|indiqu[ée]|expliqu[ée]|pr[ée]cis[ée])\b",
        r"\b(?:vous\s+avez|tu\s+as)\s+(?:oubli[ée]|omis|n[ée]glig[ée])\b",
        rf"\b(?:vous\s+n{A}avez|tu\s+n{A}as)\s+pas\s+"
        r"(?:lu|suivi|v[ée]rifi[ée]|respect[ée]|rempli)\b",
        rf"\b(?:c{A}est|c{A}[ée]tait)\s+(?:de\s+)?(?:votre|ta)\s+(?:faute|responsabilit[ée])\b",
        r"\bde\s+(?:votre|ta)\s+faute\b",
        r"\bil\s+(?:vous|te)\s+(?:fallait|appartenait\s+de)\b",
        r"\bsi\s+(?:vous\s+aviez|tu\s+avais)\s+(?:lu|suivi|v[ée]rifi[ée])\b",
    ),
}

# --- jargon and internal codes ----------------------------------------------------------
# Case-sensitive: "SLA" and "N2" are internal words; "sla" inside a word is not.
JARGON = re.compile(
    "|".join(
        (
            r"\b(?:SLA|SLAs|KPI|KPIs|CRM|ERP|WMS|RMA|FYI|ASAP|OOO)\b",
            r"\b(?:[Bb]ack[- ]?[Oo]ffice|[Bb]ackend|[Ff]ront[- ][Oo]ffice)\b",
            r"\b(?:[Nn]iveau|[Ll]evel|[Ss]upport|[Ee]scalad[ée]e?|[Ee]scalated)\s+(?:en\s+|to\s+)?[NL][1-3]\b",
            r"\b[NL][1-3]\s+(?:support|team|[ée]quipe)\b",
            r"\b(?:N2|N3|L2|L3)\b",
            r"\b(?:INC|TKT|REQ|CASE|SR|ZD|JIRA)[-_ ]?\d{3,}\b",
            r"(?i:\bticket\s*(?:n[°o]\.?|#|no\.?)?\s*#?\d{3,}\b)",
            r"(?i:\b(?:workflow|pending_\w+|status_\w+)\b)",
            r"(?<![\w@./{])[a-z]+_[a-z_]+(?![\w@/}]|\.\w)",
        )
    )
)

# --- warmth -----------------------------------------------------------------------------
GREETING = {
    "en": _any(
        r"^\W*(?:dear|hello|hi|hey|good\s+(?:morning|afternoon|evening)|greetings)\b",
    ),
    "fr": _any(
        r"^\W*(?:bonjour|bonsoir|salut|coucou|cher|ch[èe]re|madame|monsieur|hello)\b",
    ),
}
EMPATHY = {
    "en": _any(
        r"\b(?:sorry|apolog(?:y|ies|ise|ize|ised|ized)|regret)\b",
        r"\b(?:i|we)\s+(?:fully\s+|completely\s+)?understand\b",
        r"\bunderstandabl[ey]\b",
        r"\bfrustrat(?:ing|ion|ed)\b",
        r"\b(?:upsetting|disappointing|disappointed|inconvenience)\b",
    ),
    "fr": _any(
        r"\bd[ée]sol[ée]e?s?\b",
        r"\bexcuse[sz]?\b",
        r"\b(?:nous\s+)?regrett(?:ons|e)\b",
        r"\b(?:je|nous)\s+(?:comprends|comprenons)\b",
        r"\b(?:compr[ée]hensible|l[ée]gitime)\b",
        r"\b(?:frustration|agacement|d[ée]ception|m[ée]contentement|d[ée]sagr[ée]ment)\b",
    ),
}
THANKS = {
    "en": _any(r"\b(?:thank|thanks|grateful|appreciate[ds]?)\b"),
    "fr": _any(r"\bmerci\b", r"\bremerci\w*"),
}
CLOSING = {
    "en": _any(
        r"\b(?:regards|sincerely|best\s+wishes|yours\s+(?:truly|faithfully|sincerely)|"
        r"all\s+the\s+best|take\s+care|many\s+thanks)\b",
        # "Best," and "Cheers," close a letter only on a line of their own: "we will do our
        # best" does not.
        r"(?m:^)[ \t]*(?:best|cheers|thanks)\b[^\w\n]*(?m:$)",
    ),
    "fr": _any(
        r"\b(?:cordialement|bien\s+(?:à|a)\s+(?:vous|toi)|salutations|sinc[èe]rement|"
        r"belle\s+journ[ée]e|bonne\s+(?:journ[ée]e|soir[ée]e)|à\s+bient[ôo]t|amicalement|"
        r"bien\s+cordialement)\b",
    ),
}

# --- register (English) -------------------------------------------------------------------
CASUAL_EN = re.compile(
    r"\b(?:hey|gonna|wanna|gotta|yeah|yep|nope|cheers|no\s+worries|no\s+probs?|thx|"
    r"lol|btw|cool|awesome|dude|mate|guys)\b",
    re.IGNORECASE,
)
STIFF_EN = re.compile(
    r"\b(?:dear\s+sir\s+or\s+madam|dear\s+sir|dear\s+madam|yours\s+faithfully|hereby|herewith|"
    r"we\s+remain|kindly\s+be\s+advised|please\s+be\s+advised)\b",
    re.IGNORECASE,
)

# --- shouting ------------------------------------------------------------------------------
CAPS_WORD = re.compile(r"\b[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'’-]+\b")
EXCLAMATIONS = re.compile(r"!(?:\s?!)+|\?+![!?]*|!+\?[!?]*")


def spans(pattern: re.Pattern[str], text: str) -> Iterator[tuple[int, int]]:
    for match in pattern.finditer(text):
        yield match.start(), match.end()
