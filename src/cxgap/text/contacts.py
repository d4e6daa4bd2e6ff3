"""Contact details inside free text, masked before a verbatim is stored.

A customer who writes "call me on 06 12 34 56 78" or pastes a card number into a survey
comment should not have it shown to every viewer of the workspace. :func:`mask_contacts`
replaces e-mail addresses, phone numbers (French, international E.164, US and UK
formats), payment card numbers (Luhn-checked), IBANs (mod-97-checked) and French social
security numbers (key-checked) by a neutral token such as ``[phone]``; the rest of the text
is kept, so sentiment and topics still work. :func:`shown_masks` puts the tokens in the
reader's language.

The checks keep ordinary numbers alone: dates, prices, postcodes and order numbers such as
"commande 123456789" do not match any pattern, and a run of 13 to 19 digits is a card
only when its Luhn check digit is right.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

TOKENS = ("email", "iban", "nir", "card", "phone")

# Parts bounded as RFC 5321 bounds them (64 before the @, 63 a label): a hostile text of
# 20,000 letters and one @ is scanned in linear time, not quadratic.
_EMAIL = re.compile(r"[\w.+'-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
_IBAN = re.compile(
    r"(?<![\w])[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?(?!\w)", re.IGNORECASE
)
_NIR = re.compile(
    r"(?<![\w])[12][ .]?\d{2}[ .]?(?:0[1-9]|1[0-2]|[2-9]\d)[ .]?(?:\d{2}|2[AB])[ .]?"
    r"\d{3}[ .]?\d{3}[ .]?\d{2}(?![\w])"
)
# 13 to 19 digits in one run, in groups of four (4111 1111 1111 1111) or as Amex writes
# them (3782 822463 10005): a card never runs on into the number next to it.
_CARD = re.compile(
    r"(?<![\w.,])(?:\d{13,19}|\d{4}(?:([ -])\d{4})(?:\1\d{4}){1,2}(?:\1\d{1,3})?"
    r"|\d{4}[ -]\d{6}[ -]\d{4,5})(?![\w]|[.,]\d)"
)
# Not the middle of a longer run of grouped digits (an account or order number).
_ALONE_BEFORE = r"(?<![\w+])(?<!\d[ .-])"
_ALONE_AFTER = r"(?![\w]|[.,]\d|[ .-]\d{3})"
_PHONES = (
    # French: 06 12 34 56 78, 06.12.34.56.78, 0612345678; +33 6 12 34 56 78, +33 (0)6…, 0033…
    r"(?:(?:\+|00)33[ .-]?(?:\(0\)[ .-]?)?|0)[1-9](?:[ .-]?\d{2}){4}",
    # US: (555) 123-4567, 555-123-4567, 555.123.4567, +1 555 123 4567
    r"(?:\+1[ .-]?)?(?:\(\d{3}\)[ ]?|\d{3}[-. ])\d{3}[-. ]\d{4}",
    # Any E.164 number: a + and 8 to 15 digits, grouped by spaces, dots, dashes or brackets
    r"\+[1-9](?:[ .-]?\(?\d{1,4}\)?){2,7}",
)
_PHONE = re.compile(_ALONE_BEFORE + "(?:" + "|".join(_PHONES) + ")" + _ALONE_AFTER)
# UK: 07700 900123, 020 7946 0958, (020) 7946 0958, +44 7700 900123, +44 (0)20 7946 0958
_UK_PHONE = re.compile(
    _ALONE_BEFORE
    + r"(?:\+44[ ]?(?:\(0\)[ ]?)?|\(?0)\d{2,4}\)?[ ]?\d{3,4}[ ]?\d{3,4}"
    + _ALONE_AFTER
)


# Every phone, card, IBAN or NIR holds at least 8 digits in one run (spaces, dots, dashes
# and brackets aside): a text without such a run skips those patterns.
_NUMBERISH = re.compile(r"\d[\d ().-]{6,}\d")
_ASCII_DIGITS = b"0123456789"


def _numberish(text: str) -> bool:
    """Whether the text holds such a run. An ASCII text with fewer than two digits cannot
    (counted by deleting them from its bytes: a tenth of the regex's scan, and most
    verbatims hold no number); any other text is scanned."""
    if text.isascii():
        raw = text.encode("ascii")
        if len(raw) - len(raw.translate(None, _ASCII_DIGITS)) < 2:
            return False
    return _NUMBERISH.search(text) is not None


@dataclass(frozen=True)
class _Kind:
    token: str
    pattern: re.Pattern[str]
    valid: Callable[[str], bool]

    def replacement(self, match: re.Match[str]) -> str:
        found = match.group(0)
        return f"[{self.token}]" if self.valid(found) else found


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def luhn_valid(number: str) -> bool:
    """True when the digits of ``number`` pass the Luhn check (payment cards).

    >>> luhn_valid("4111 1111 1111 1111"), luhn_valid("4111 1111 1111 1112")
    (True, False)
    """
    digits = [int(ch) for ch in _digits(number)]
    total = 0
    for index, digit in enumerate(reversed(digits)):
        if index % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return bool(digits) and total % 10 == 0


def iban_valid(text: str) -> bool:
    """True for an IBAN whose check digits are right (ISO 13616, mod 97).

    >>> iban_valid("FR7630006000011234567890189"), iban_valid("FR7630006000011234567890188")
    (True, False)
    """
    compact = text.replace(" ", "").upper()
    if not 15 <= len(compact) <= 34:
        return False
    moved = compact[4:] + compact[:4]
    return int("".join(str(int(ch, 36)) for ch in moved)) % 97 == 1


def nir_valid(text: str) -> bool:
    """True for a French social security number (NIR) whose two-digit key is right.

    >>> nir_valid("1 85 05 78 006 084 91"), nir_valid("1 85 05 78 006 084 90")
    (True, False)
    """
    compact = re.sub(r"[ .]", "", text).upper()
    body, key = compact[:13], compact[13:]
    body = body.replace("2A", "19").replace("2B", "18")
    return len(key) == 2 and body.isdigit() and 97 - int(body) % 97 == int(key)


def _card_valid(text: str) -> bool:
    digits = _digits(text)
    return 13 <= len(digits) <= 19 and digits[0] in "23456" and luhn_valid(digits)


def _phone_valid(text: str) -> bool:
    return 8 <= len(_digits(text)) <= 15


def _uk_phone_valid(text: str) -> bool:
    digits = _digits(text)
    return 10 <= len(digits) - (2 if digits.startswith("44") else 0) - ("(0)" in text) <= 11


_KINDS = (
    _Kind("email", _EMAIL, lambda _: True),
    _Kind("iban", _IBAN, iban_valid),
    _Kind("nir", _NIR, nir_valid),
    _Kind("card", _CARD, _card_valid),
    _Kind("phone", _PHONE, _phone_valid),
    _Kind("phone", _UK_PHONE, _uk_phone_valid),
)


def mask_contacts(text: str) -> str:
    """The text with its contact details replaced by ``[email]``, ``[phone]``, ``[card]``,
    ``[iban]`` or ``[nir]``.

    >>> mask_contacts("Écrivez à marie.dupont@exemple.fr ou au 06 12 34 56 78 !")
    'Écrivez à [email] ou au [phone] !'
    >>> mask_contacts("Commande 123456789 du 03/05/2024, 1 234,50 €, Lyon 69003")
    'Commande 123456789 du 03/05/2024, 1 234,50 €, Lyon 69003'
    """
    numbers = _numberish(text)
    for kind in _KINDS:
        if not (("@" in text) if kind.token == "email" else numbers):
            continue
        text = kind.pattern.sub(kind.replacement, text)
    return text


_TOKEN = re.compile(r"\[(" + "|".join(TOKENS) + r")\]")


def shown_masks(text: str, labels: Mapping[str, str]) -> str:
    """The text with each mask token replaced by its label in the reader's language
    (``labels`` maps ``email``, ``phone``… to a label such as ``téléphone``).

    >>> shown_masks("Appelez le [phone]", {"phone": "téléphone"})
    'Appelez le [téléphone]'
    """
    return _TOKEN.sub(lambda m: f"[{labels.get(m.group(1), m.group(1))}]", text)
