"""Hostile files built by the tests: zip-bomb workbooks, deeply nested JSON, wide files.

Each builder writes a small file quickly; what it unpacks to is what hurts.
"""

from __future__ import annotations

import random
import string
import tracemalloc
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

_OOXML = "http://schemas.openxmlformats.org"
_RELATION = f"{_OOXML}/officeDocument/2006/relationships"
_SPREADSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
_CONTENT_TYPES = (
    f'{_DECLARATION}<Types xmlns="{_OOXML}/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_SPREADSHEET}.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    f'ContentType="{_SPREADSHEET}.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    f'ContentType="{_SPREADSHEET}.sharedStrings+xml"/>'
    "</Types>"
)
_RELS = (
    f'{_DECLARATION}<Relationships xmlns="{_OOXML}/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_RELATION}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    f'{_DECLARATION}<workbook xmlns="{_OOXML}/spreadsheetml/2006/main" xmlns:r="{_RELATION}">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    f'{_DECLARATION}<Relationships xmlns="{_OOXML}/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_RELATION}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_RELATION}/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
_SHEET_TAIL = "</sheetData></worksheet>"
_SST_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
# A header a preset reads, and one sound row: the hostile part comes on top.
HEADER = '<row r="1"><c r="A1" t="inlineStr"><is><t>text</t></is></c></row>'
Chunks = Callable[[], Iterator[str]]


def workbook(
    path: Path, *, sheet_rows: Chunks, shared: Chunks | None = None, dimension: str = ""
) -> Path:
    """A minimal .xlsx whose sheet rows (and shared strings) come in chunks, deflated as
    they are written (level 1: fast, and still about 1,000 to 1 on repeated text);
    ``dimension`` is the sheet's declared range, if any."""
    head = _SHEET_HEAD + (f'<dimension ref="{dimension}"/>' if dimension else "") + "<sheetData>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            for chunk in (head, *sheet_rows(), _SHEET_TAIL):
                part.write(chunk.encode())
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            chunks = shared() if shared is not None else iter(())
            for chunk in (_SST_HEAD, *chunks, "</sst>"):
                part.write(chunk.encode())
    return path


def repeated(text: str, times: int) -> Iterator[str]:
    for _ in range(times):
        yield text


def shared_string_bomb(path: Path, megabytes: int) -> Path:
    """One shared string of ``megabytes`` MB of "a", in the header cell."""
    block = "a" * (1024 * 1024)

    def shared() -> Iterator[str]:
        yield "<si><t>"
        yield from repeated(block, megabytes)
        yield "</t></si>"

    def rows() -> Iterator[str]:
        yield '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'

    return workbook(path, sheet_rows=rows, shared=shared)


def inline_cell_bomb(path: Path, megabytes: int) -> Path:
    """One inline cell of ``megabytes`` MB of "a", under the header."""
    block = "a" * (1024 * 1024)

    def rows() -> Iterator[str]:
        yield HEADER + '<row r="2"><c r="A2" t="inlineStr"><is><t>'
        yield from repeated(block, megabytes)
        yield "</t></is></c></row>"

    return workbook(path, sheet_rows=rows)


def long_random_cell(path: Path, chars: int, seed: int = 7) -> Path:
    """One inline cell of ``chars`` random letters: it compresses badly, so the archive's
    ratio passes and only the streamed cell limit can refuse it."""
    letters = random.Random(seed).choices(string.ascii_letters, k=chars)

    def rows() -> Iterator[str]:
        yield HEADER + '<row r="2"><c r="A2" t="inlineStr"><is><t>'
        yield "".join(letters)
        yield "</t></is></c></row>"

    return workbook(path, sheet_rows=rows)


def rich_text_runs(path: Path, runs: int) -> Path:
    """One shared string made of ``runs`` rich-text runs of two characters each: every tag
    and every run is short, the string is not."""

    def shared() -> Iterator[str]:
        yield "<si>"
        yield from repeated("<r><t>ab</t></r>", runs)
        yield "</si>"

    def rows() -> Iterator[str]:
        yield HEADER + '<row r="2"><c r="A2" t="s"><v>0</v></c></row>'

    return workbook(path, sheet_rows=rows, shared=shared)


def nested_json(path: Path, depth: int) -> Path:
    """An array holding one object nested ``depth`` levels deep."""
    path.write_text('[{"text": ' + "[" * depth + "]" * depth + "}]", encoding="utf-8")
    return path


@contextmanager
def peak_memory() -> Iterator[list[int]]:
    """The peak of Python allocations inside the block, in bytes, as ``peak[0]``."""
    peak = [0]
    tracemalloc.start()
    try:
        yield peak
    finally:
        peak[0] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()


MB = 1024 * 1024
