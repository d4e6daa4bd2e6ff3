"""The private board's gate (``docs/community.md``, "Board settings"): a dependency of the
idea board's public routers that lets through only readers signed in (by the board's e-mail
link) with an address on the board's allow-list, and the page everyone else gets instead:
why, and the sign-in form (403). Signing in itself stays open: the form and the link."""

from __future__ import annotations

import inspect

from fastapi import FastAPI, Request
from fastapi.responses import Response

from cxgap.errors import CxgapError, PermissionDeniedError
from cxgap.mail.sender import mail_configured
from cxgap.services.board_access import settings_of
from cxgap.services.workspaces import get_workspace
from cxgap.web.community_identity import signed_in
from cxgap.web.deps import SessionDep, SettingsDep
from cxgap.web.render import page

PRIVATE = "community_admin.error.private_board"  # the refusal this module answers itself


def board_gate(request: Request, key: str, session: SessionDep, settings: SettingsDep) -> None:
    """Refuse (PrivateBoardError) a private board's page to a reader not allowed on it."""
    path = request.url.path
    if path == f"/community/{key}/signin" or path.startswith(f"/community/{key}/signin/"):
        return
    workspace = get_workspace(session, key)
    board = settings_of(session, workspace)
    if not board.private:
        return
    person = signed_in(request, session, workspace)
    if not board.may_read(person):
        raise PermissionDeniedError(
            "This board is private: sign in with an address on its list"
        ).keyed(
            PRIVATE,
            signed_in=person is not None,  # what the sign-in page needs to say
            brand=workspace.name,
            mail_ready=mail_configured(settings),
        )


def install(app: FastAPI) -> None:
    """Answer a private board's refusal with its own page (the sign-in form); every other
    refusal goes on to the app's error page. Installed after the app's handlers."""
    generic = app.exception_handlers[CxgapError]

    @app.exception_handler(PermissionDeniedError)
    async def private_board(request: Request, exc: PermissionDeniedError) -> Response:
        if exc.message_key != PRIVATE:
            answer = generic(request, exc)
            return await answer if inspect.isawaitable(answer) else answer
        key = request.path_params.get("key", "")
        said = exc.message_params
        context = {
            "brand": said.get("brand", ""),
            "board_key": key,
            "signed_in_elsewhere": bool(said.get("signed_in")),
            "mail_ready": bool(said.get("mail_ready")),
            "next": f"/community/{key}/ideas",
        }
        return page(request, "community/private.html", context, status_code=403)
