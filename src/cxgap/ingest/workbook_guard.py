"""A workbook checked before openpyxl reads it, in bounded memory (zip bombs refused).

An ``.xlsx`` file is a zip archive of XML parts. A small upload can unpack to gigabytes (one
shared string or one cell of a billion characters) and openpyxl holds a whole shared-string
table, a whole row and every other part in memory. So, before openpyxl sees the file:

1. every member's *declared* size is checked (a zip member never unpacks beyond it: the
   standard library stops there and checks the CRC): the parts together, the shared-string
   table, each other part openpyxl reads whole, and the compression ratio of large members
   (more than 100 to 1 is refused, as Apache POI's ``ZipSecureFile`` does);
2. every XML part openpyxl reads is streamed through expat, chunk by chunk, counting: the
   characters of one cell or one shared string (Excel's own limit, 32,767), the cells of a
   row and the columns they reach (16,384, Excel's), the rows (1,048,576, Excel's), the
   cells of the sheet, and the bytes of any one tag or run of text; a DTD, a comment or a
   CDATA section, which spreadsheet programs do not write, is refused (expat would buffer a
   long one whole).

The first limit crossed stops the scan and refuses the file, naming it and the limit.
"""

from __future__ import annotations

import hashlib
import threading
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any
from xml.parsers import expat

from cxgap.errors import FieldProblem, ValidationError
from cxgap.ingest.encoding import REFUSED_SUMMARY
from cxgap.ingest.workbook_refusals import (
    exception_detail,
    foreign_markup,
    too_large,
    too_large_unpacked,
    unreadable,
)

_MB = 1024 * 1024
_CHUNK = 64 * 1024
_SHEETS = frozenset({"worksheet", "chartsheet", "dialogsheet"})


@dataclass(frozen=True)
class WorkbookLimits:
    """What a workbook may hold; the defaults follow Excel's own limits where it has one."""

    unpacked_bytes: int = 1024 * _MB  # all members together, as declared
    shared_strings_bytes: int = 256 * _MB  # the shared-string table, read whole by openpyxl
    part_bytes: int = 16 * _MB  # any other part openpyxl reads whole (styles, workbook…)
    ratio: int = 100  # unpacked / packed size, for members over ratio_from_bytes
    ratio_from_bytes: int = _MB
    members: int = 10_000
    cell_chars: int = 32_767  # one cell or one shared string (Excel's limit)
    columns: int = 16_384  # Excel's last column, XFD
    rows: int = 1_048_576  # Excel's last row
    cells: int = 100_000_000  # the cells a sheet's rows reach, empty ones included
    row_chars: int = 4 * _MB  # the text of one row, which openpyxl holds whole
    part_elements: int = 1_000_000  # elements of a part outside its cells, kept by openpyxl

    @property
    def token_bytes(self) -> int:
        """The longest tag or run of text a part may hold: a full cell of characters all
        written as character references (``&#128512;``, 9 bytes), and room for its tag."""
        return self.cell_chars * 10 + 4096


DEFAULT_LIMITS = WorkbookLimits()


def check_workbook(
    stream: IO[bytes], name: str, limits: WorkbookLimits = DEFAULT_LIMITS
) -> tuple[int, int]:
    """Refuse a workbook that crosses one of ``limits``; returns the most rows and the
    widest row of its sheets. A stream that is no zip archive is left to the reader, which
    says so. The verdict on a file is remembered by its content: an import opens it several
    times (layout detection tries each preset)."""
    key = _identity(stream, name, limits)
    known = _VERDICTS.get(key)
    if isinstance(known, list):
        raise ValidationError(list(known), summary=REFUSED_SUMMARY)
    if known is not None:
        return known
    try:
        verdict = _check(stream, name, limits)
    except ValidationError as exc:
        _remember(key, list(exc.problems))
        raise
    _remember(key, verdict)
    return verdict


def _check(stream: IO[bytes], name: str, limits: WorkbookLimits) -> tuple[int, int]:
    start = stream.tell()
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError):
        stream.seek(start)
        return 0, 0
    try:
        with archive:
            members = archive.infolist()
            _check_declared(members, name, limits)
            shapes = [_scan_member(archive, m, name, limits) for m in members if _is_xml(m)]
            return max((r for r, _ in shapes), default=0), max((c for _, c in shapes), default=0)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, zlib.error) as exc:
        raise unreadable(name, exception_detail(exc)) from None
    except RuntimeError as exc:  # an encrypted member: zipfile asks for its password
        raise unreadable(name, exception_detail(exc)) from None
    finally:
        stream.seek(start)


Verdict = tuple[int, int] | list[FieldProblem]
_VERDICTS: dict[tuple[object, ...], Verdict] = {}
_REMEMBERED = 32
_VERDICTS_LOCK = threading.Lock()


def _identity(stream: IO[bytes], name: str, limits: WorkbookLimits) -> tuple[object, ...]:
    """The file's content (a BLAKE2 digest: hashing is fast beside a scan, and no other
    file can pass for it), its name and the limits it is checked against."""
    start = stream.tell()
    digest = hashlib.blake2b(digest_size=32)
    while chunk := stream.read(_MB):
        digest.update(chunk)
    stream.seek(start)
    return (digest.digest(), name, limits)


def _remember(key: tuple[object, ...], verdict: Verdict) -> None:
    with _VERDICTS_LOCK:  # web imports run in threads
        if len(_VERDICTS) >= _REMEMBERED:
            _VERDICTS.pop(next(iter(_VERDICTS)), None)
        _VERDICTS[key] = verdict


# Parts openpyxl never opens in read-only mode: their declared sizes are checked, their XML
# is not scanned (Excel's VML drawings are not even well-formed XML).
_UNREAD = ("xl/drawings/", "xl/charts/", "xl/media/", "xl/activex/", "xl/ctrlprops/", "customxml/")


def _is_xml(member: zipfile.ZipInfo) -> bool:
    name = member.filename.lower()
    return name.endswith((".xml", ".rels")) and not name.startswith(_UNREAD)


def _check_declared(members: list[zipfile.ZipInfo], name: str, limits: WorkbookLimits) -> None:
    if len(members) > limits.members:
        raise too_large(name, "xlsx_members", limits.members)
    total = sum(m.file_size for m in members)
    if total > limits.unpacked_bytes:
        raise too_large_unpacked(name, limits.unpacked_bytes // _MB)
    for member in members:
        if member.file_size > limits.ratio_from_bytes:
            packed = max(member.compress_size, 1)
            if member.file_size / packed > limits.ratio:
                raise too_large(name, "xlsx_ratio", limits.ratio)
        unscanned = member.filename.lower().endswith(".xml") and not _is_xml(member)
        if unscanned and member.file_size > limits.part_bytes:  # a chart sheet's, read whole
            limit = limits.part_bytes // _MB
            raise too_large(name, "xlsx_part", limit, part=member.filename)


class _Scan:
    """Counts what one XML part holds as expat reads it; raises at the first limit crossed."""

    def __init__(self, member: zipfile.ZipInfo, name: str, limits: WorkbookLimits) -> None:
        self.member, self.name, self.limits = member, name, limits
        self.kind = ""
        self.depth = 0
        self.record_depth = 0  # the depth of the open cell / shared string, 0 outside one
        self.record_chars = 0
        self.record_elements = 0
        self.rows = 0
        self.row_cells = 0
        self.row_reach = 0  # the last column a cell of the row names
        self.row_chars = 0
        self.cells = 0
        self.elements = 0
        self.widest = 0

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        local = tag.rpartition(":")[2]
        self.depth += 1
        if self.depth == 1:
            self._root(local)
        if self.record_depth:
            self.record_elements += 1
            if self.record_elements > self.limits.cell_chars:
                self._over_cell()
        elif local == "si" and self.kind == "sst":
            self._open_record()
        elif local == "c" and self.kind in _SHEETS:
            self._open_record()
            self._cell(attrs.get("r", ""))
        elif local == "row" and self.kind in _SHEETS:
            self._row()
        else:
            self.elements += 1
            if self.elements > self.limits.part_elements:
                part = self.member.filename
                raise too_large(self.name, "xlsx_elements", self.limits.part_elements, part=part)

    def end(self, tag: str) -> None:
        if self.record_depth == self.depth:
            self.record_depth = 0
        elif tag.rpartition(":")[2] == "row" and self.kind in _SHEETS:
            self.widest = max(self.widest, self.row_reach, self.row_cells)
            self.cells += max(self.row_reach, self.row_cells)
            if self.cells > self.limits.cells:
                raise too_large(self.name, "xlsx_cells", self.limits.cells)
        self.depth -= 1

    def text(self, data: str) -> None:
        if self.record_depth:
            self.record_chars += len(data)
            if self.record_chars > self.limits.cell_chars:
                self._over_cell()
            self.row_chars += len(data)
            if self.row_chars > self.limits.row_chars and self.kind in _SHEETS:
                raise too_large(self.name, "xlsx_row_chars", self.limits.row_chars)

    def _root(self, local: str) -> None:
        self.kind = local
        size = self.member.file_size
        if local == "sst" and size > self.limits.shared_strings_bytes:
            limit = self.limits.shared_strings_bytes // _MB
            raise too_large(self.name, "xlsx_shared_strings", limit)
        if local not in _SHEETS and local != "sst" and size > self.limits.part_bytes:
            limit = self.limits.part_bytes // _MB
            raise too_large(self.name, "xlsx_part", limit, part=self.member.filename)

    def _open_record(self) -> None:
        self.record_depth = self.depth
        self.record_chars = self.record_elements = 0

    def _over_cell(self) -> None:
        raise too_large(self.name, "xlsx_cell_chars", self.limits.cell_chars)

    def _row(self) -> None:
        self.rows += 1
        self.row_cells = self.row_reach = self.row_chars = 0
        if self.rows > self.limits.rows:
            raise too_large(self.name, "xlsx_rows", self.limits.rows)

    def _cell(self, reference: str) -> None:
        self.row_cells += 1
        self.row_reach = max(self.row_reach, column_number(reference))
        if max(self.row_cells, self.row_reach) > self.limits.columns:
            raise too_large(self.name, "xlsx_columns", self.limits.columns)


def column_number(reference: str) -> int:
    """The column a cell reference names (``"C7"`` → 3), 0 without one.

    >>> column_number("C7"), column_number("XFD1"), column_number("")
    (3, 16384, 0)
    """
    number = 0
    for char in reference:
        if not "A" <= char <= "Z":
            break
        number = number * 26 + ord(char) - 64
        if number > 1_000_000:  # a reference no spreadsheet writes: far beyond any limit
            break
    return number


def _refuse_markup(name: str) -> Callable[..., None]:
    def refuse_it(*_args: object) -> None:
        raise foreign_markup(name)

    return refuse_it


class _ByteGuard:
    """The bytes of a part before expat sees them: no tag or run of text longer than the
    limit (expat holds a tag whole), no ``<!`` (DTD, comment, CDATA), no ``<?`` but the
    XML declaration at the start."""

    def __init__(self, name: str, limit: int) -> None:
        self.name, self.limit = name, limit
        self.run = 0  # bytes since the last '<'
        self.offset = 0
        self.last = b""

    def check(self, chunk: bytes) -> None:
        joined = self.last + chunk  # a '<' ending the last chunk and its next byte
        declaration = max(0, 4 - (self.offset - len(self.last)))  # <?xml …?> may open it
        if b"<!" in joined or joined.find(b"<?", declaration) >= 0:
            raise foreign_markup(self.name)
        first = chunk.find(b"<")
        if first < 0:
            self.run += len(chunk)
        else:
            self.run += first
            self._check_run()
            self.run = len(chunk) - chunk.rfind(b"<") - 1
        self._check_run()
        self.offset += len(chunk)
        self.last = chunk[-1:]

    def _check_run(self) -> None:
        if self.run > self.limit:
            raise too_large(self.name, "xlsx_token", self.limit)


def _parse(parser: Any, chunk: bytes, final: bool, member: zipfile.ZipInfo, name: str) -> None:
    try:
        parser.Parse(chunk, final)
    except expat.ExpatError as exc:
        detail = f"{member.filename} is not well-formed XML: {expat.errors.messages[exc.code]}"
        raise unreadable(name, detail) from None


def _scan_member(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo, name: str, limits: WorkbookLimits
) -> tuple[int, int]:
    """Stream one XML part through the counters; its rows and widest row if it is a sheet."""
    scan = _Scan(member, name, limits)
    guard = _ByteGuard(name, limits.token_bytes)
    parser = expat.ParserCreate()
    parser.StartElementHandler = scan.start
    parser.EndElementHandler = scan.end
    parser.CharacterDataHandler = scan.text
    parser.StartDoctypeDeclHandler = _refuse_markup(name)
    parser.EntityDeclHandler = _refuse_markup(name)
    with archive.open(member) as part:
        # Chunks no longer than the guard's limit: a run inside one cannot pass it unseen.
        size = min(_CHUNK, limits.token_bytes)
        while chunk := part.read(size):
            guard.check(chunk)
            _parse(parser, chunk, False, member, name)
        _parse(parser, b"", True, member, name)
    return (scan.rows, scan.widest) if scan.kind in _SHEETS else (0, 0)
