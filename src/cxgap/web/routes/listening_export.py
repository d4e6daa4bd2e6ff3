"""The Listening explorer's download: the feedback records it shows (its filters applied) as
CSV, XLSX or JSON, the same file as ``cxgap export feedback``."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import IO

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from cxgap.services import feedback_export, listening
from cxgap.services.accounts import Role
from cxgap.web.deps import SessionDep, UserDep, open_workspace
from cxgap.web.render import locale_of

router = APIRouter(prefix="/w/{key}/listening")

# The file is written (from keyset pages) before the first byte goes out, so that the
# database session is done with by then; past this size it waits on disk, not in memory.
SPOOL_BYTES = 8 * 1024 * 1024
CHUNK_BYTES = 64 * 1024


@router.get("/export.{fmt}")
def export_feedback(
    request: Request, key: str, fmt: str, session: SessionDep, user: UserDep
) -> StreamingResponse:
    workspace, _ = open_workspace(session, user, key, Role.ANALYST)
    chosen = feedback_export.parse_format(fmt)
    filters = listening.parse_filters(request.query_params)
    where = feedback_export.listening_filter(session, workspace, filters)
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - closed by _chunks
    try:
        feedback_export.export_feedback(
            session,
            workspace=workspace,
            fmt=chosen,
            target=spool,
            where=where,
            default_language=locale_of(request),
        )
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    name = f"{workspace.key}-feedback.{chosen}"
    return StreamingResponse(
        _chunks(spool),
        media_type=feedback_export.MEDIA_TYPES[chosen],
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )


def _chunks(spool: IO[bytes]) -> Iterator[bytes]:
    try:
        while chunk := spool.read(CHUNK_BYTES):
            yield chunk
    finally:
        spool.close()
