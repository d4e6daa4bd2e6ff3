"""Numbers as a reader sees them, in English or French.

Rounding happens here and only for display: the results object keeps full precision. French
uses a decimal comma, a non-breaking space before ``%`` and a narrow one between thousands;
negative numbers get a true minus sign. Missing values (``None``, NaN) show as an em dash.
"""

from __future__ import annotations

import math

MISSING = "—"
MINUS = "\u2212"
NBSP = "\u00a0"
NNBSP = "\u202f"  # narrow no-break space, the French thousands separator


def is_missing(value: object) -> bool:
    """True for ``None``, NaN and anything that is not a number."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return True
    return isinstance(value, float) and not math.isfinite(value)


def _scaled(value: float, decimals: int) -> int:
    """``value`` times 10**decimals, rounded half away from zero the way a reader expects:
    the tiny epsilon makes 2.675 (stored as 2.67499…) round to 2.68."""
    factor: int = 10**decimals  # decimals >= 0: a whole power of ten
    scaled = math.floor(abs(value) * factor + 0.5 + 1e-9)
    return -scaled if value < 0 else scaled


def _digits(scaled: int, decimals: int, locale: str) -> str:
    text = str(abs(scaled)).rjust(decimals + 1, "0")
    whole, fraction = (text[:-decimals], text[-decimals:]) if decimals else (text, "")
    if len(whole) > 4 or (len(whole) == 4 and locale != "fr"):
        sep = NNBSP if locale == "fr" else ","
        whole = f"{int(whole):,}".replace(",", sep)
    if not fraction:
        return whole
    return whole + ("," if locale == "fr" else ".") + fraction


def format_number(value: object, locale: str, *, decimals: int = 2, signed: bool = False) -> str:
    """``value`` rounded to ``decimals``; ``signed`` adds ``+`` to positive numbers.

    >>> format_number(4.254, "en"), format_number(4.254, "fr")
    ('4.25', '4,25')
    >>> format_number(-0.2, "en", signed=True)
    '−0.20'
    """
    if is_missing(value):
        return MISSING
    rounded = _scaled(float(value), decimals)  # type: ignore[arg-type]
    text = _digits(rounded, decimals, locale)
    if rounded < 0:
        return MINUS + text
    if signed and rounded > 0:
        return "+" + text
    return text


def format_count(value: object, locale: str) -> str:
    """A whole number of answers, with thousands separators (``1,200`` / ``1 200``)."""
    return format_number(value, locale, decimals=0)


def format_percent(share: object, locale: str, *, decimals: int = 0, signed: bool = False) -> str:
    """A share between 0 and 1 as a percentage (``42%`` / ``42 %``)."""
    if is_missing(share):
        return MISSING
    number = format_number(float(share) * 100, locale, decimals=decimals, signed=signed)  # type: ignore[arg-type]
    return number + (NBSP + "%" if locale == "fr" else "%")


def format_points(share: object, locale: str, *, decimals: int = 0, signed: bool = True) -> str:
    """A difference between two shares, in percentage points (``+34 pts`` / ``+34 pts``)."""
    if is_missing(share):
        return MISSING
    number = format_number(float(share) * 100, locale, decimals=decimals, signed=signed)  # type: ignore[arg-type]
    return number + NBSP + "pts"


def format_nps(score: object, locale: str) -> str:
    """An NPS as a signed whole number (``+12``, ``−8``, ``0``)."""
    return format_number(score, locale, decimals=0, signed=True)


def format_p(p: object, locale: str) -> str:
    """A p-value the way papers write it: ``p < 0.001``, ``p = 0.007``, ``p = 0.03``."""
    if is_missing(p):
        return "p" + NBSP + "=" + NBSP + MISSING
    value = float(p)  # type: ignore[arg-type]
    if value < 0.001:
        return "p" + NBSP + "<" + NBSP + format_number(0.001, locale, decimals=3)
    decimals = 3 if value < 0.01 else 2
    return "p" + NBSP + "=" + NBSP + format_number(value, locale, decimals=decimals)


def format_interval(
    interval: object, locale: str, *, decimals: int | None = None, kind: str = "number"
) -> str:
    """A ``[low, high]`` confidence interval (``[3.90, 4.60]`` / ``[3,90 ; 4,60]``).

    ``kind`` is ``number`` or ``signed`` (2 decimals unless told), ``percent`` (shares shown
    as whole percentages), ``points`` (differences of shares) or ``nps``.
    """
    if decimals is None:
        decimals = 2 if kind in ("number", "signed") else 0
    if not isinstance(interval, list | tuple) or len(interval) != 2:
        return MISSING
    low, high = interval
    if is_missing(low) or is_missing(high):
        return MISSING
    parts = [_format_kind(bound, locale, decimals, kind) for bound in (low, high)]
    sep = NBSP + "; " if locale == "fr" else ", "
    return "[" + parts[0] + sep + parts[1] + "]"


def _format_kind(value: object, locale: str, decimals: int, kind: str) -> str:
    if kind == "percent":
        return format_percent(value, locale, decimals=decimals)
    if kind == "points":
        return format_points(value, locale, decimals=decimals)
    if kind == "nps":
        return format_nps(value, locale)
    return format_number(value, locale, decimals=decimals, signed=kind == "signed")


def format_ordinal(rank: object, locale: str) -> str:
    """``1st``, ``2nd``, ``11th`` in English; ``1er``, ``2e`` in French."""
    if is_missing(rank):
        return MISSING
    number = int(rank)  # type: ignore[call-overload]
    if locale == "fr":
        return f"{number}er" if number == 1 else f"{number}e"
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"
