"""A multipart form whose one file goes straight to disk as it arrives.

Starlette's own parser spools files to the system's temporary directory; a feedback export
can be large, so the import reads the request body itself and writes the file where the
caller says (under the data dir), counting bytes, and stops at the size limit. The other
fields (the CSRF token, the preset) are small and kept in memory, up to a limit each.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import BinaryIO

from fastapi import Request
from python_multipart.multipart import MultipartParser, parse_options_header

from cxgap.errors import PayloadTooLargeError, ValidationError

MAX_FIELD_BYTES = 64 * 1024
# Called with the file's name as the browser sent it; returns where to write its bytes.
OpenTarget = Callable[[str], BinaryIO]


@dataclass
class StreamedForm:
    fields: dict[str, str] = field(default_factory=dict)
    file_name: str | None = None
    size: int = 0


class _Parser:
    def __init__(self, file_field: str, open_target: OpenTarget, limit: int) -> None:
        self.file_field, self.open_target, self.limit = file_field, open_target, limit
        self.form = StreamedForm()
        self.target: BinaryIO | None = None
        self.header_name = b""
        self.header_value = b""
        self.disposition = b""
        self.name = ""
        self.is_file = False
        self.data = bytearray()

    def on_part_begin(self) -> None:
        self.disposition, self.data, self.is_file = b"", bytearray(), False

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self.header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self.header_value += data[start:end]

    def on_header_end(self) -> None:
        if self.header_name.lower() == b"content-disposition":
            self.disposition = self.header_value
        self.header_name, self.header_value = b"", b""

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self.disposition)
        self.name = options.get(b"name", b"").decode("utf-8", "replace")
        filename = options.get(b"filename")
        self.is_file = filename is not None and self.name == self.file_field
        if self.is_file and self.target is None:
            self.form.file_name = (filename or b"").decode("utf-8", "replace")
            if not self.form.file_name:
                raise ValidationError.single(self.file_field, "choose a file to upload")
            self.target = self.open_target(self.form.file_name)

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        chunk = data[start:end]
        if self.is_file and self.target is not None:
            self.form.size += len(chunk)
            if self.form.size > self.limit:
                megabytes = self.limit / (1024 * 1024)
                raise PayloadTooLargeError(
                    f"{self.form.file_name} is larger than the {megabytes:g} MB upload limit; "
                    "split the file or ask your administrator to raise CXGAP_MAX_UPLOAD_MB"
                )
            self.target.write(chunk)
        elif not self.is_file:
            self.data.extend(chunk)
            if len(self.data) > MAX_FIELD_BYTES:
                raise ValidationError.single(self.name, "is too long")

    def on_part_end(self) -> None:
        if not self.is_file:
            self.form.fields[self.name] = self.data.decode("utf-8", "replace")


async def stream_form(
    request: Request, *, file_field: str, open_target: OpenTarget, limit: int
) -> StreamedForm:
    """Read a multipart form, writing its file through ``open_target``; the caller closes
    and, on any error, deletes what was written."""
    content_type = request.headers.get("content-type", "")
    kind, params = parse_options_header(content_type)
    boundary = params.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise ValidationError.single("(request)", "must be a multipart form with a file")
    parser = _Parser(file_field, open_target, limit)
    callbacks = {
        "on_part_begin": parser.on_part_begin,
        "on_part_data": parser.on_part_data,
        "on_part_end": parser.on_part_end,
        "on_header_field": parser.on_header_field,
        "on_header_value": parser.on_header_value,
        "on_header_end": parser.on_header_end,
        "on_headers_finished": parser.on_headers_finished,
    }
    multipart = MultipartParser(boundary, callbacks)  # type: ignore[arg-type]
    async for chunk in request.stream():
        multipart.write(chunk)
    multipart.finalize()
    if parser.target is None:
        raise ValidationError.single(file_field, "choose a file to upload")
    return parser.form
