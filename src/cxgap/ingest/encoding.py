"""Text encodings of uploaded files: detected on a sample, checked on every line.

Only encodings in which a newline is the single byte ``0x0A`` are accepted (UTF-8 and the
single-byte code pages), so that a file can be split into lines before it is decoded and a
wrong byte is reported with its line.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable, Iterator

from cxgap.errors import FieldProblem, ValidationError

SAMPLE_BYTES = 64 * 1024
REFUSED_SUMMARY = "Import refused, nothing was stored"
_WIDE = ("utf_16", "utf_32")
# Bytes that cp1252 leaves undefined: a file containing them is latin-1, not cp1252.
_CP1252_HOLES = frozenset(b"\x81\x8d\x8f\x90\x9d")


def file_problem(
    message: str,
    *,
    source: str | None,
    value: object = None,
    code: str = "format",
    reason: str | None = None,
    **params: object,
) -> FieldProblem:
    """A problem with the file as a whole rather than with one of its rows.

    ``message`` is the English text (the CLI's, the logs'); ``reason`` names the message in
    the catalogues (``imports_week.reason.<reason>``) and ``params`` its figures, so that
    the web says it in the reader's language.
    """
    if reason is not None:
        params = {"reason": reason, **params}
    return FieldProblem("(file)", message, value, source=source, code=code, params=params)


def refuse(problem: FieldProblem) -> ValidationError:
    return ValidationError([problem], summary=REFUSED_SUMMARY)


def detect_encoding(sample: bytes, *, source: str | None = None) -> str:
    """The encoding of a file, judged on its first bytes: UTF-8 (with or without a byte
    order mark) when they decode as UTF-8, else cp1252, else latin-1.

    >>> detect_encoding("café".encode("utf-8")), detect_encoding("café".encode("cp1252"))
    ('utf-8', 'cp1252')
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in sample:
        raise refuse(
            file_problem(
                "is UTF-16 text or not a text file at all; save it as UTF-8 CSV",
                source=source,
                code="encoding",
                reason="not_text",
            )
        )
    try:
        # A sample cut short by SAMPLE_BYTES may end inside a character.
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=len(sample) < SAMPLE_BYTES)
    except UnicodeDecodeError:
        return "latin-1" if _CP1252_HOLES.intersection(sample) else "cp1252"
    return "utf-8"


def checked_encoding(name: str, *, source: str | None = None) -> str:
    """The codec to use for an encoding the user named; UTF-8 also accepts a byte order mark."""
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        raise refuse(
            file_problem(
                "is not a known text encoding",
                source=source,
                value=name,
                code="encoding",
                reason="unknown_encoding",
            )
        ) from None
    if codec.startswith(_WIDE):
        raise refuse(
            file_problem(
                "is not supported: save the file as UTF-8",
                source=source,
                value=name,
                code="encoding",
                reason="wide_encoding",
            )
        )
    return "utf-8-sig" if codec in {"utf-8", "utf-8-sig"} else codec


# Codecs whose strict decoding never gives a lone surrogate (\ud800-\udfff): UTF-8 refuses
# the bytes of one, and a single-byte code page maps every byte to a character of its own.
# (Not UTF-7 or the escape codecs a user could name: "+2AA-" is "\ud800" in UTF-7.)
_SURROGATE_FREE = frozenset({"utf-8", "utf-8-sig", "cp1252", "latin-1", "iso8859-1", "ascii"})


def surrogate_free(codec: str) -> bool:
    """Whether text decoded by ``codec`` (a name this module gives) cannot hold a lone
    surrogate.

    >>> surrogate_free("utf-8-sig"), surrogate_free("cp1252"), surrogate_free("utf-7")
    (True, True, False)
    """
    return codec in _SURROGATE_FREE


def describe_encoding(codec: str) -> str:
    return "UTF-8" if codec.startswith("utf-8") else codec


def decoding_problem(
    exc: UnicodeDecodeError,
    *,
    line: int,
    offset: int,
    codec: str,
    detected: bool,
    source: str | None,
) -> FieldProblem:
    """Where the bytes stop making sense, and what the user can do about it."""
    label = describe_encoding(codec)
    hint = (
        f"the start of the file looked like {label}; give its real encoding, e.g. cp1252"
        if detected
        else "save the file as UTF-8 or give its real encoding, e.g. cp1252"
    )
    return file_problem(
        f"is not valid {label} text at line {line} (byte {offset}); {hint}",
        source=source,
        value=exc.object[exc.start : exc.end].hex(),
        code="encoding",
        reason="bad_bytes_detected" if detected else "bad_bytes_given",
        line=line,
        byte=offset,
        encoding=label,
    )


class LineDecoder:
    """Decodes a file's raw lines one by one, counting lines and bytes as it goes."""

    def __init__(self, codec: str, *, detected: bool, source: str | None) -> None:
        self.codec = codec
        self.detected = detected
        self.source = source
        self.line = 0
        self.bytes_done = 0

    def decode(self, raw_lines: Iterable[bytes]) -> Iterator[str]:
        codec = self.codec
        for raw in raw_lines:
            self.line += 1
            try:
                text = raw.decode(codec)
            except UnicodeDecodeError as exc:
                raise refuse(
                    decoding_problem(
                        exc,
                        line=self.line,
                        offset=self.bytes_done + exc.start,
                        codec=self.codec,
                        detected=self.detected,
                        source=self.source,
                    )
                ) from None
            self.bytes_done += len(raw)
            # Only the first line may start with a byte order mark.
            codec = "utf-8" if codec == "utf-8-sig" else codec
            yield text


def decode_text(data: bytes, *, source: str | None = None, encoding: str | None = None) -> str:
    """The whole text of a small file held in memory, with the same detection and the same
    line-precise refusal as the streaming readers.

    >>> decode_text(b"\\xef\\xbb\\xbfnps\\n9\\n")
    'nps\\n9\\n'
    """
    detected = encoding is None
    codec = (
        detect_encoding(data[:SAMPLE_BYTES], source=source)
        if encoding is None
        else checked_encoding(encoding, source=source)
    )
    decoder = LineDecoder(codec, detected=detected, source=source)
    return "".join(decoder.decode(data.splitlines(keepends=True)))
