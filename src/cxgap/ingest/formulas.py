"""Texts a spreadsheet would run as formulas (CSV injection), kept inert in every export.

OWASP's rule: a cell whose first character is ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return can be run as a formula (``=HYPERLINK(...)``, ``=cmd|...``) by Excel, LibreOffice
or Google Sheets; an apostrophe in front keeps it text. The CSV writer
(:mod:`cxgap.ingest.csvwrite`) puts it on every such cell and the CSV readers
(:mod:`cxgap.ingest.delimited`) take it off, so a text comes back exactly as it was.
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@")
GUARD = "'"
_WHITESPACE = " \t\r\n"
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def needs_guard(value: str) -> bool:
    """True for a text a spreadsheet could run as a formula (or one that would read back as
    such once its own apostrophe is taken off).

    >>> [needs_guard(v) for v in ("=1+1", " -5 stars", "\\tx", "'@a", "Bien", "'tis", "-0,25")]
    [True, True, True, True, False, False, False]
    """
    core = value.lstrip(GUARD)
    if _NUMBER.fullmatch(core):  # -0,25 is a number for every spreadsheet, not a formula
        return False
    return core.startswith(("\t", "\r")) or core.lstrip(_WHITESPACE).startswith(FORMULA_STARTS)


def inert_text(value: str) -> str:
    """The text with an apostrophe in front when a spreadsheet could run it as a formula.

    >>> inert_text("=SUM(A1:A9)"), inert_text(" -5 stars"), inert_text("Bien")
    ("'=SUM(A1:A9)", "' -5 stars", 'Bien')
    """
    return GUARD + value if needs_guard(value) else value


def restore_text(value: str) -> str:
    """The text :func:`inert_text` protected, as it was.

    >>> restore_text(inert_text("=1+1")), restore_text(inert_text("'=1")), restore_text("'tis")
    ('=1+1', "'=1", "'tis")
    """
    if value.startswith(GUARD) and needs_guard(value[1:]):
        return value[1:]
    return value
