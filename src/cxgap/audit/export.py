"""The audit log as CSV, written by :mod:`cxgap.ingest.csvwrite` (formula-safe, Excel-ready)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from cxgap.audit.query import EventRow
from cxgap.ingest.csvwrite import TextHandle, csv_writer, delimiter_for

COLUMNS = (
    "id",
    "at",
    "actor_user_id",
    "actor",
    "workspace",
    "action",
    "target_type",
    "target_id",
    "address",
    "details",
)


def write_csv(handle: TextHandle, rows: Iterable[EventRow], *, language: str = "en") -> int:
    """Write the header and the rows; how many rows were written."""
    writer = csv_writer(handle, delimiter=delimiter_for(language))
    writer.writerow(COLUMNS)
    count = 0
    for row in rows:
        cells = (
            row.id,
            row.at.isoformat(timespec="seconds"),
            row.actor_user_id if row.actor_user_id is not None else "",
            row.actor,
            row.workspace_key or "",
            row.action,
            row.target_type or "",
            row.target_id or "",
            row.address or "",
            json.dumps(row.details, ensure_ascii=False, sort_keys=True) if row.details else "",
        )
        writer.writerow(cells)  # the writer guards every text cell against formulas
        count += 1
    return count
