"""The user's own account: password and API tokens."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from cxgap.errors import AuthenticationError, ValidationError
from cxgap.services import accounts
from cxgap.web.deps import CsrfDep, SessionDep, UserDep
from cxgap.web.render import page

router = APIRouter(prefix="/account")


@router.get("", response_class=HTMLResponse)
def account(request: Request, user: UserDep) -> Response:
    return page(request, "account.html", {"user": user})


@router.post("/password", response_class=HTMLResponse)
def change_password(
    request: Request,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
    current_password: Annotated[str, Form(max_length=1000)],
    new_password: Annotated[str, Form(max_length=1000)],
) -> Response:
    try:
        accounts.authenticate(session, email=user.email, password=current_password)
    except AuthenticationError:
        raise ValidationError.single("current_password", "is not your current password") from None
    accounts.set_password(session, email=user.email, password=new_password)
    return page(request, "account.html", {"user": user, "flash_key": "web.account.changed"})


@router.post("/tokens", response_class=HTMLResponse)
def new_token(
    request: Request,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
    name: Annotated[str, Form(max_length=100)],
) -> Response:
    token = accounts.create_api_token(session, email=user.email, name=name)
    return page(request, "account.html", {"user": user, "new_token": token})
