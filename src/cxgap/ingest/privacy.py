"""Privacy at the door: keyed pseudonyms for customer ids, and no contact details kept by
accident among the free attributes."""

from __future__ import annotations

import hmac
import re
from collections.abc import Collection, Mapping

_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(\.[\w-]+)+")
# A whole value that reads as a phone number: 9 to 15 digits, with a leading + or 0, or
# grouped by spaces, dots, dashes or brackets (a bare run of digits is more often an id).
_PHONE = re.compile(r"\+?[\d\s().-]{9,24}")
_PHONE_GROUPED = re.compile(r"^(\+|00|0)|[\s().-]")
_PSEUDONYM = re.compile(r"p_[0-9a-f]{24}")
_IPV4 = re.compile(r"(\d{1,3}\.){3}\d{1,3}")
_CONTACT_NAME = re.compile(
    r"e-?mail|courriel|\bmail\b|phone|t[ée]l[ée]phone|\btel\b|mobile|portable|\bip\b|ip ?address",
    re.IGNORECASE,
)


def pseudonymise(value: str, key: str | bytes) -> str:
    """A keyed hash (HMAC-SHA256): the same customer always gets the same pseudonym, which
    cannot be reversed without the key. Identical to the pillar-survey import's, so that
    pseudonymised ids from both imports can be joined. A pseudonym is kept as it is, so
    that an export re-imported (pseudonymising is the default) keeps its ids.

    >>> pseudonymise("C-1042", "k"), pseudonymise(pseudonymise("C-1042", "k"), "k")
    ('p_5c78acc287736ed738178646', 'p_5c78acc287736ed738178646')
    """
    if _PSEUDONYM.fullmatch(value):
        return value
    secret = key.encode() if isinstance(key, str) else key
    # hmac.digest: OpenSSL's one-shot HMAC, the same bytes as hmac.new(…).digest() in a
    # fraction of its time (a large file names tens of thousands of customers).
    return "p_" + hmac.digest(secret, value.encode(), "sha256").hex()[:24]


def looks_like_contact(value: str) -> bool:
    """True for an e-mail address, a phone number or an IPv4 address inside the value.

    >>> [looks_like_contact(v) for v in ("marie@exemple.fr", "06 12 34 56 78", "100045678")]
    [True, True, False]
    """
    text = value.strip()
    if _EMAIL.search(text) or _IPV4.fullmatch(text):
        return True
    if not _PHONE.fullmatch(text):
        return False
    digits = sum(ch.isdigit() for ch in text)
    return 9 <= digits <= 15 and bool(_PHONE_GROUPED.search(text))


def is_contact_column(name: str) -> bool:
    """True for a column whose name says it holds e-mail addresses, phones or IP addresses."""
    return bool(_CONTACT_NAME.search(name))


def drop_contacts(
    attributes: Mapping[str, str], keep: Collection[str] = ()
) -> tuple[dict[str, str], list[str]]:
    """The attributes without contact details, and the names of those dropped; columns in
    ``keep`` are kept whatever they hold.

    >>> drop_contacts({"Shop": "Lyon", "Email": "-", "Contact": "+33 6 12 34 56 78"})
    ({'Shop': 'Lyon'}, ['Email', 'Contact'])
    """
    kept: dict[str, str] = {}
    dropped: list[str] = []
    for name, value in attributes.items():
        if name not in keep and (is_contact_column(name) or looks_like_contact(value)):
            dropped.append(name)
        else:
            kept[name] = value
    return kept, dropped
