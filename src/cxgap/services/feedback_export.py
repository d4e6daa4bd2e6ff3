"""Every stored feedback record of a workspace as CSV, XLSX or JSON, with its enrichment.

The file re-imports as it is: ``cxgap import feedback FILE`` recognises its header (preset
``cxgap``) and gives back the same records (the enrichment columns are then ignored: the
importing workspace enriches the texts itself). Records are read oldest first in keyset
pages of ``PAGE_SIZE`` and written as they come, so a workspace of a million records is exported in
constant memory. See docs/export.md.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import IO, Any, Literal

from sqlalchemy.orm import Session

from cxgap.db import feedback_export_queries as q
from cxgap.db.feedback_filters import FeedbackFilter
from cxgap.db.listening_queries import topic_rows
from cxgap.db.tables import Workspace
from cxgap.errors import ValidationError
from cxgap.ingest.csvwrite import csv_writer, needs_guard
from cxgap.services.exports import csv_delimiter
from cxgap.services.exports import workspace_language as workspace_language  # its old home
from cxgap.services.listening import Filters, feedback_filter

Format = Literal["csv", "xlsx", "json"]
FORMATS: tuple[Format, ...] = ("csv", "xlsx", "json")
MEDIA_TYPES: dict[str, str] = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
COLUMNS = (
    "text",
    "question",
    "collected_at",
    "source_type",
    "source_id",
    "channel",
    "customer_ref",
    "touchpoint",
    "nps",
    "csat",
    "ces",
    "stars",
    "language_hint",
    "language",
    "sentiment",
    "sentiment_score",
    "topics",
)
# Topic keys in one CSV or XLSX cell; JSON gives a list.
TOPIC_SEPARATOR = " | "
PAGE_SIZE = 2_000

Record = dict[str, Any]


def parse_format(value: str) -> Format:
    """``csv``, ``xlsx`` or ``json``; anything else is refused, naming the choices."""
    for known in FORMATS:
        if value.strip().lower() == known:
            return known
    raise ValidationError.single("format", f"must be one of {', '.join(FORMATS)}", value)


def as_record(row: q.ExportedFeedback) -> Record:
    """One exported record, JSON-ready: the date in ISO 8601 with its offset, the topics as
    a list, None where the record has no value or is not enriched yet."""
    enriched = row.sentiment is not None
    return {
        "text": row.text,
        "question": row.question,
        "collected_at": row.collected_at.isoformat(),
        "source_type": row.source_type,
        "source_id": row.source_id,
        "channel": row.channel,
        "customer_ref": row.customer_ref,
        "touchpoint": row.touchpoint,
        "nps": row.nps,
        "csat": row.csat,
        "ces": row.ces,
        "stars": row.stars,
        "language_hint": row.language_hint,
        "language": row.language if enriched else None,
        "sentiment": row.sentiment if enriched else None,
        "sentiment_score": row.sentiment_score,
        "topics": list(row.topic_keys or []) if enriched else [],
    }


def feedback_records(
    session: Session,
    workspace: Workspace,
    *,
    where: FeedbackFilter | None = None,
    page_size: int = PAGE_SIZE,
) -> Iterator[Record]:
    """The workspace's records, oldest first, one keyset page at a time."""
    after: q.Cursor | None = None
    while page := q.export_page(session, workspace.id, where, after=after, limit=page_size):
        yield from map(as_record, page)
        after = (page[-1].collected_at, page[-1].id)


def listening_filter(session: Session, workspace: Workspace, filters: Filters) -> FeedbackFilter:
    """The Listening explorer's filters as the export's: the same records as on the page."""
    return feedback_filter(session, workspace, filters, topic_rows(session, workspace.id))


def export_feedback(
    session: Session,
    *,
    workspace: Workspace,
    fmt: Format,
    target: IO[bytes],
    where: FeedbackFilter | None = None,
    default_language: str = "en",
) -> int:
    """Write the workspace's records (those ``where`` keeps) to ``target``; how many.
    ``default_language`` chooses the CSV delimiter of a workspace without texts."""
    records = feedback_records(session, workspace, where=where)
    if fmt == "xlsx":
        return write_xlsx(records, target)
    text = io.TextIOWrapper(target, encoding="utf-8", newline="", write_through=True)
    try:
        if fmt == "json":
            return write_json(records, text)
        delimiter = csv_delimiter(session, workspace, default_language)
        return write_csv(records, text, delimiter=delimiter)
    finally:
        text.flush()
        text.detach()  # leave the caller's stream open


def write_json(records: Iterator[Record], handle: io.TextIOBase) -> int:
    """A JSON array of objects, one line per record."""
    count = 0
    handle.write("[")
    for record in records:
        handle.write(",\n" if count else "\n")
        handle.write(json.dumps(record, ensure_ascii=False))
        count += 1
    handle.write("\n]\n" if count else "]\n")
    return count


def write_csv(records: Iterator[Record], handle: io.TextIOBase, *, delimiter: str) -> int:
    """UTF-8 with a byte order mark (so Excel reads the accents), a header row, topics joined
    with ``TOPIC_SEPARATOR``; with ``;`` decimals take a comma, as French Excel expects."""
    writer = csv_writer(handle, delimiter=delimiter)
    writer.writerow(COLUMNS)
    comma = delimiter == ";"
    count = 0
    for record in records:
        writer.writerow([_csv_cell(record[name], comma) for name in COLUMNS])
        count += 1
    return count


def _csv_cell(value: object, decimal_comma: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return TOPIC_SEPARATOR.join(value)
    if isinstance(value, float):
        shown = repr(value)
        return shown.replace(".", ",") if decimal_comma else shown
    return str(value)  # texts are kept inert by the writer


def write_xlsx(records: Iterator[Record], target: IO[bytes]) -> int:
    """One sheet ``feedback`` written in openpyxl's streaming mode; texts stay texts (never
    formulas: :func:`_inert_cell`), dates are ISO 8601 text so that their offset survives."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("feedback")
    sheet.append(list(COLUMNS))
    count = 0
    for record in records:
        row: list[object] = []
        for name in COLUMNS:
            value = record[name]
            if isinstance(value, list):
                value = TOPIC_SEPARATOR.join(value)
            if isinstance(value, str):
                # Control characters cannot be stored in a workbook.
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
                if needs_guard(value):
                    value = _inert_cell(sheet, value)
            row.append(value)
        sheet.append(row)
        count += 1
    workbook.save(target)
    return count


def _inert_cell(sheet: Any, value: str) -> Any:
    """A text cell that stays text: typed as a string (openpyxl would store ``=…`` as a
    formula) and marked with Excel's quote prefix, so that editing the cell in Excel or
    saving the sheet as CSV does not turn it into a formula either."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell
