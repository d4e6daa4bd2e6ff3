"""The feedback export as a streamed download, shared by the Listening page and the REST API:
written to a spooled file (memory up to 8 MB, then disk), then sent in 64 KB chunks."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import IO

from fastapi.responses import StreamingResponse
from sqlalchemy.orm import Session

from cxgap.db.feedback_filters import FeedbackFilter
from cxgap.db.tables import Workspace
from cxgap.services import feedback_export

SPOOL_BYTES = 8 * 1024 * 1024
CHUNK_BYTES = 64 * 1024


def feedback_download(
    session: Session,
    workspace: Workspace,
    fmt: str,
    where: FeedbackFilter | None,
    *,
    default_language: str = "en",
) -> StreamingResponse:
    """The records ``where`` selects, in ``fmt`` (csv, xlsx or json), as an attachment."""
    chosen = feedback_export.parse_format(fmt)
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - closed by _chunks
    try:
        feedback_export.export_feedback(
            session,
            workspace=workspace,
            fmt=chosen,
            target=spool,
            where=where,
            default_language=default_language,
        )
    except BaseException:
        spool.close()
        raise
    name = f"{workspace.key}-feedback.{chosen}"
    return spooled_attachment(spool, media_type=feedback_export.MEDIA_TYPES[chosen], filename=name)


def spooled_attachment(spool: IO[bytes], *, media_type: str, filename: str) -> StreamingResponse:
    """A written spool sent from its start as a download; the spool is closed once sent."""
    spool.seek(0)
    return StreamingResponse(
        _chunks(spool),
        media_type=media_type,
        headers={"content-disposition": f'attachment; filename="{filename}"'},
    )


def _chunks(spool: IO[bytes]) -> Iterator[bytes]:
    try:
        while chunk := spool.read(CHUNK_BYTES):
            yield chunk
    finally:
        spool.close()
