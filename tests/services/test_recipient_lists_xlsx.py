"""Recipient lists as Excel workbooks: read like the CSV lists, every problem named by row,
column and value, and a workbook that would unpack to a huge size refused unread."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence

import openpyxl
import pytest

from cxgap.errors import ValidationError
from cxgap.ingest.spreadsheet import check_unpacked_size
from cxgap.services.recipient_lists import (
    MAX_LIST_UNPACKED_BYTES,
    Recipient,
    read_recipients,
)


def workbook(rows: Sequence[Sequence[object]], padding: int = 0) -> bytes:
    """An .xlsx file with ``rows`` on its first sheet; ``padding`` zero bytes in an extra
    part, which compress to almost nothing."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    if padding:
        with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("xl/media/padding.bin", bytes(padding))
    return buffer.getvalue()


def read(data: bytes, name: str = "clients.xlsx") -> list[Recipient]:
    return read_recipients(io.BytesIO(data), name=name, segment_keys={"pro"}, default_language="en")


def test_a_workbook_list_is_read_like_a_csv_one() -> None:
    data = workbook(
        [
            ["Courriel", "Langue", "Segment", "Ref client"],
            ["Zoé@Example.com", "FR", "pro", 1042],  # a reference typed as a number
            [],  # a blank row is skipped
            ["bo@example.com", None, None, None],
        ]
    )
    assert read(data) == [
        Recipient(2, "zoé@example.com", "fr", "pro", "1042"),
        Recipient(4, "bo@example.com", "en", None, None),
    ]


def test_every_bad_workbook_row_is_named_with_its_column_and_value() -> None:
    data = workbook(
        [
            ["email", "language", "segment"],
            ["ok@example.com", "en"],
            ["not-an-address", "en"],
            ["b@example.com", "de"],
            ["c@example.com", "en", "vip"],
            ["OK@example.com", "fr"],
        ]
    )
    with pytest.raises(ValidationError) as caught:
        read(data)
    found = {(p.row, p.field, p.code, p.value, p.source) for p in caught.value.problems}
    assert found == {
        (3, "email", "mail_address", "not-an-address", "clients.xlsx"),
        (4, "language", "mail_language", "de", "clients.xlsx"),
        (5, "segment", "mail_segment", "vip", "clients.xlsx"),
        (6, "email", "mail_duplicate", "ok@example.com", "clients.xlsx"),
    }


def test_an_old_xls_or_a_broken_workbook_is_refused_with_the_way_out() -> None:
    with pytest.raises(ValidationError) as old:
        read(b"\xd0\xcf\x11\xe0 not really", name="clients.xls")
    assert old.value.problems[0].params["reason"] == "xls_file"
    with pytest.raises(ValidationError) as broken:
        read(b"not a zip at all")
    assert broken.value.problems[0].params["reason"] == "xlsx_unreadable"


def test_a_workbook_that_would_unpack_too_large_is_refused_unread() -> None:
    data = workbook([["email"], ["a@example.com"]], padding=MAX_LIST_UNPACKED_BYTES)
    assert len(data) < 200_000  # a small upload…
    with pytest.raises(ValidationError) as caught:
        read(data)  # …that would unpack to over 32 MB
    (problem,) = caught.value.problems
    assert (problem.params["reason"], problem.params["limit"]) == ("xlsx_too_large", "32")
    assert read(workbook([["email"], ["a@example.com"]], padding=1_000))[0].email == (
        "a@example.com"
    )


def test_the_size_check_leaves_the_stream_where_it_was_and_non_zips_to_the_reader() -> None:
    stream = io.BytesIO(b"xx" + workbook([["email"]]))
    stream.seek(2)
    check_unpacked_size(stream, "a.xlsx")
    assert stream.tell() == 2
    with pytest.raises(ValidationError):
        check_unpacked_size(stream, "a.xlsx", limit=100)
    assert stream.tell() == 2
    check_unpacked_size(io.BytesIO(b"id,email\n"), "a.xlsx", limit=1)  # no zip: no verdict
