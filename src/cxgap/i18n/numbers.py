"""Numbers written the way an English or French reader expects, for the journey map (SVG and
PNG/PDF text), the overlay table and the compare page.

French: decimal comma, a narrow no-break space before ``:`` and ``%`` and between thousands.
Both languages: a true minus sign (U+2212), ``+`` on signed positive values, an em dash for
a missing value. Rounding is half away from zero, as a reader rounds by hand.
"""

from __future__ import annotations

import math

MINUS = "\u2212"
NNBSP = "\u202f"  # narrow no-break space
MISSING = "—"


def _missing(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return True
    return isinstance(value, float) and not math.isfinite(value)


def format_decimal(value: object, locale: str, *, decimals: int = 2, signed: bool = False) -> str:
    """``value`` rounded to ``decimals``; ``signed`` writes ``+`` before positive values.

    >>> format_decimal(0.605, "fr", signed=True), format_decimal(0.605, "en", signed=True)
    ('+0,61', '+0.61')
    >>> format_decimal(-14, "fr", decimals=0), format_decimal(0.0, "en", signed=True)
    ('−14', '0.00')
    >>> format_decimal(12345.5, "fr", decimals=1), format_decimal(1000, "fr", decimals=0)
    ('12\u202f345,5', '1000')
    >>> format_decimal(1000, "en", decimals=0)
    '1,000'

    >>> format_decimal(None, "fr")
    '—'
    """
    if _missing(value):
        return MISSING
    number = float(value)  # type: ignore[arg-type]
    scaled = math.floor(abs(number) * 10**decimals + 0.5 + 1e-9)
    digits = str(scaled).rjust(decimals + 1, "0")
    whole, fraction = (digits[:-decimals], digits[-decimals:]) if decimals else (digits, "")
    if len(whole) > 4 or (len(whole) == 4 and locale != "fr"):  # French: 1000 but 12 345
        whole = f"{int(whole):,}".replace(",", NNBSP if locale == "fr" else ",")
    text = whole + (("," if locale == "fr" else ".") + fraction if fraction else "")
    if scaled and number < 0:
        return MINUS + text
    return "+" + text if signed and scaled else text


def format_signed(value: object, locale: str, *, decimals: int = 2) -> str:
    """A value whose sign matters (a mean sentiment, an NPS): ``+0,61``, ``−14``."""
    return format_decimal(value, locale, decimals=decimals, signed=True)


def format_percent(share: object, locale: str, *, decimals: int = 0) -> str:
    """A share between 0 and 1 as a percentage.

    >>> format_percent(0.63, "fr"), format_percent(0.63, "en")
    ('63\u202f%', '63%')
    """
    if _missing(share):
        return MISSING
    text = format_decimal(float(share) * 100, locale, decimals=decimals)  # type: ignore[arg-type]
    return text + (NNBSP + "%" if locale == "fr" else "%")


def labelled(label: str, text: str, locale: str) -> str:
    """``label: text``, with the narrow no-break space French puts before the colon.

    >>> labelled("NPS", "−14", "fr"), labelled("NPS", "−14", "en")
    ('NPS\u202f: −14', 'NPS: −14')
    """
    return f"{label}{NNBSP if locale == 'fr' else ''}: {text}"
