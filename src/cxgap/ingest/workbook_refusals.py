"""The refusals of a workbook the guard will not let openpyxl read: over a limit, holding
XML that spreadsheet programs do not write, or unreadable. Each names the file as it was
uploaded and its message key (``imports_week.reason.<key>``) with its figures."""

from __future__ import annotations

from cxgap.errors import ValidationError
from cxgap.ingest.encoding import file_problem, refuse


def exception_detail(exc: BaseException) -> str:
    """What went wrong, without a path on the server: an OSError names the file it could
    not read, which is the server's copy of the upload."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc)


# The English message of each limit (the catalogues say them as imports_week.reason.<key>).
LIMIT_MESSAGES = {
    "xlsx_members": "is a workbook of more than {limit} parts",
    "xlsx_ratio": "is a workbook whose parts unpack to more than {limit} times their "
    "compressed size, as a zip bomb does",
    "xlsx_shared_strings": "is a workbook whose shared strings would unpack to more than "
    "{limit} MB",
    "xlsx_part": "is a workbook whose part {part} would unpack to more than {limit} MB",
    "xlsx_cell_chars": "is a workbook with a cell of more than {limit} characters "
    "(Excel's own limit)",
    "xlsx_row_chars": "is a workbook with a row of more than {limit} characters",
    "xlsx_columns": "is a workbook with a row of more than {limit} columns (Excel's own limit)",
    "xlsx_rows": "is a workbook of more than {limit} rows (Excel's own limit)",
    "xlsx_cells": "is a workbook of more than {limit} cells",
    "xlsx_elements": "is a workbook whose part {part} holds more than {limit} XML elements",
    "xlsx_token": "is a workbook with a tag or a text of more than {limit} bytes",
}


def too_large(name: str, reason: str, limit: int, **params: object) -> ValidationError:
    """The refusal of a workbook over a limit: says which, and what to do."""
    message = LIMIT_MESSAGES[reason].format(limit=f"{limit:,}", **params)
    # The figure without separators for the catalogues: "32,767" reads as a decimal in French.
    problem = file_problem(
        f"{message}: save it as CSV, or split it",
        source=name,
        code="too_long",
        reason=reason,
        limit=str(limit),
        **params,
    )
    return refuse(problem)


def foreign_markup(name: str) -> ValidationError:
    """The refusal of a part holding a DTD, a comment, a CDATA section or an instruction."""
    message = (
        "holds XML that spreadsheet programs do not write (a DTD, a comment, a CDATA "
        "section or an instruction): save it again from your spreadsheet program"
    )
    return refuse(file_problem(message, source=name, code="format", reason="xlsx_markup"))


def unreadable(name: str, detail: str) -> ValidationError:
    """The refusal of a file that is no workbook, or a damaged one; ``detail`` says why
    in the archive's own terms (never a path on the server)."""
    message = f"is not a readable .xlsx workbook ({detail})"
    problem = file_problem(
        message, source=name, code="format", reason="xlsx_unreadable", detail=detail
    )
    return refuse(problem)


def too_large_unpacked(name: str, megabytes: int) -> ValidationError:
    """The refusal of a workbook whose parts, together, would unpack past the limit."""
    limit = f"{megabytes:,}"
    problem = file_problem(
        f"is a workbook that would unpack to more than {limit} MB: save it as CSV, or split it",
        source=name,
        code="too_long",
        reason="xlsx_too_large",
        limit=limit,
    )
    return refuse(problem)
