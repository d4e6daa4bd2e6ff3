"""The audit log for administrators: a filtered, paginated page and its CSV export."""

from __future__ import annotations

import io
import tempfile
from datetime import UTC, datetime
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from cxgap import audit
from cxgap.audit.export import write_csv
from cxgap.audit.query import iter_events, list_events
from cxgap.services import audit_log
from cxgap.web.audit_hooks import note
from cxgap.web.deps import SessionDep, UserDep
from cxgap.web.feedback_download import spooled_attachment
from cxgap.web.render import locale_of, page

router = APIRouter()

SPOOL_BYTES = 8 * 1024 * 1024


def _asked(
    action: Annotated[str, Query(max_length=48)] = "",
    user: Annotated[str, Query(max_length=254)] = "",
    workspace: Annotated[str, Query(max_length=64)] = "",
    since: Annotated[str, Query(max_length=10)] = "",
    until: Annotated[str, Query(max_length=10)] = "",
) -> audit_log.Request:
    return audit_log.Request(action, user, workspace, since, until)


AskedDep = Annotated[audit_log.Request, Depends(_asked)]


def _query(request: Request, page_number: int | None = None) -> str:
    params = {k: v for k, v in request.query_params.items() if v and k != "page"}
    if page_number is not None:
        params["page"] = str(page_number)
    return urlencode(params)


@router.get("/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    session: SessionDep,
    user: UserDep,
    asked: AskedDep,
    page_number: Annotated[int, Query(alias="page", ge=1, le=1_000_000)] = 1,
) -> Response:
    scope = audit_log.reader_scope(session, user)
    filters = audit_log.parse_filters(session, scope, asked)
    events = list_events(session, scope=scope, filters=filters, page=page_number)
    context = {
        "user": user,
        "events": events,
        "asked": asked,
        "actions": audit.ACTIONS,
        "workspaces": audit_log.readable_workspaces(session, user),
        "query": _query(request),
        "page_query": lambda n: _query(request, n),
    }
    return page(request, "audit.html", context)


@router.get("/audit.csv")
def audit_export(
    request: Request, session: SessionDep, user: UserDep, asked: AskedDep
) -> StreamingResponse:
    """The filtered log as CSV (every matching event, oldest first)."""
    scope = audit_log.reader_scope(session, user)
    filters = audit_log.parse_filters(session, scope, asked)
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - closed once sent
    text = io.TextIOWrapper(spool, encoding="utf-8", newline="")
    count = write_csv(text, iter_events(session, scope=scope, filters=filters),
                      language=locale_of(request))  # fmt: skip
    text.flush()
    text.detach()
    note(request, session, user, audit.Action.EXPORTED, target=audit.Target("export", "audit_log"),
         details={"format": "csv", "rows": count})  # fmt: skip
    stamp = datetime.now(UTC).strftime("%Y%m%d")
    return spooled_attachment(
        spool, media_type="text/csv; charset=utf-8", filename=f"cxgap-audit-{stamp}.csv"
    )
