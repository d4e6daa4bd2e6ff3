"""Sending a survey by e-mail: upload a list, one reminder per wave, response rates, and the
public unsubscribe link."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from cxgap import jobs
from cxgap.db.tables import CustomerSurvey, Workspace
from cxgap.errors import NotFoundError, ReminderAlreadySentError
from cxgap.i18n import LOCALES
from cxgap.mail.sender import mail_configured
from cxgap.services import campaigns, mail_opt_outs, survey_mailing, wave_rates
from cxgap.services.accounts import Principal, Role
from cxgap.services.recipient_lists import MAX_RECIPIENTS, read_recipients
from cxgap.services.workspaces import segments_of
from cxgap.web.deps import CsrfDep, SessionDep, SettingsDep, UserDep, open_workspace
from cxgap.web.public_links import public_base
from cxgap.web.render import locale_of, page

router = APIRouter()
MAIL = "/w/{key}/collect/surveys/{survey_key}/mail"


@dataclass(frozen=True)
class _Shown:
    """Who looks at which survey's mailing page."""

    user: Principal
    workspace: Workspace
    role: Role
    survey: CustomerSurvey


def _page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    shown: _Shown,
    *,
    status_code: int = 200,
    **extra: object,
) -> Response:
    workspace = shown.workspace
    waves = wave_rates.wave_rates(session, workspace, survey=shown.survey)
    context = {
        "user": shown.user,
        "workspace": workspace,
        "role": shown.role,
        "survey": shown.survey,
        "configured": mail_configured(settings),
        "segments": [s.key for s in segments_of(session, workspace)],
        "languages": LOCALES,
        "max_recipients": MAX_RECIPIENTS,
        "waves": waves,
        "mail_job": _latest_mail_job(session, workspace, {w.wave_id for w in waves}),
        **extra,
    }
    return page(request, "survey_mail.html", context, status_code=status_code)


def _latest_mail_job(
    session: SessionDep, workspace: Workspace, wave_ids: set[int]
) -> jobs.JobRow | None:
    """The newest e-mail job of this survey's waves: its progress, then its outcome."""
    for row in jobs.job_rows(session, workspace_id=workspace.id, kinds=[jobs.MAIL], limit=50):
        if row.payload.get("wave_id") in wave_ids:
            return row
    return None


def _queue_mail(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    shown: _Shown,
    *,
    wave_id: int,
    action: str,
) -> None:
    """Queue the sending (a worker mails the wave; the page follows its progress)."""
    jobs.submit(
        session,
        jobs.MAIL,
        workspace_id=shown.workspace.id,
        payload=jobs.mail_payload(
            wave_id=wave_id, action=action, base_url=public_base(request, settings)
        ),
        exclusive=jobs.mail_exclusive_key(wave_id),
        max_attempts=3,
        requested_by_id=shown.user.user_id,
    )
    session.flush()


def _links(request: Request, settings: SettingsDep) -> survey_mailing.LinkMaker:
    return survey_mailing.LinkMaker(public_base(request, settings), settings.resolved_secret_key())


@router.get(MAIL, response_class=HTMLResponse)
def mail_form(
    request: Request,
    key: str,
    survey_key: str,
    session: SessionDep,
    settings: SettingsDep,
    user: UserDep,
) -> Response:
    workspace, role = open_workspace(session, user, key, Role.ANALYST)
    survey = campaigns.get_survey(session, workspace, survey_key)
    return _page(request, session, settings, _Shown(user, workspace, role, survey))


@router.post(MAIL, response_class=HTMLResponse)
def send(
    request: Request,
    key: str,
    survey_key: str,
    session: SessionDep,
    settings: SettingsDep,
    user: UserDep,
    _csrf: CsrfDep,
    recipients: Annotated[UploadFile, File()],
    language: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    """Read the whole list first (a bad row sends nothing), store the wave, and queue its
    sending (a ``mail`` job: the page follows its progress)."""
    workspace, role = open_workspace(session, user, key, Role.ANALYST)
    survey = campaigns.get_survey(session, workspace, survey_key)
    shown = _Shown(user, workspace, role, survey)
    if not mail_configured(settings):
        return _page(request, session, settings, shown, status_code=503, flash="not_configured")
    if not survey.is_open:
        return _page(request, session, settings, shown, status_code=409, flash="closed")
    people = read_recipients(
        recipients.file,
        name=recipients.filename or "recipients.csv",
        segment_keys=[s.key for s in segments_of(session, workspace)],
        default_language=language if language in LOCALES else locale_of(request),
    )
    wave_id = survey_mailing.create_wave(
        session,
        survey=survey,
        recipients=people,
        file_name=recipients.filename or "recipients.csv",
        links=_links(request, settings),
    )
    _queue_mail(request, session, settings, shown, wave_id=wave_id, action="send")
    return _page(request, session, settings, shown)


@router.post(MAIL + "/waves/{wave_id}/{action}", response_class=HTMLResponse)
def wave_action(
    request: Request,
    key: str,
    survey_key: str,
    wave_id: int,
    action: str,
    session: SessionDep,
    settings: SettingsDep,
    user: UserDep,
    _csrf: CsrfDep,
) -> Response:
    """``remind``: the wave's one reminder; ``retry``: mail the recipients still pending.
    Both are queued as a ``mail`` job."""
    workspace, role = open_workspace(session, user, key, Role.ANALYST)
    survey = campaigns.get_survey(session, workspace, survey_key)
    wave = survey_mailing.wave_of(session, workspace, wave_id)
    if action not in {"remind", "retry"} or wave.survey_id != survey.id:
        raise NotFoundError(f"No action {action!r} for wave {wave_id}")
    shown = _Shown(user, workspace, role, survey)
    if not mail_configured(settings):
        return _page(request, session, settings, shown, status_code=503, flash="not_configured")
    if action == "remind":
        try:
            survey_mailing.start_reminder(session, wave.id)
        except ReminderAlreadySentError:
            return _page(request, session, settings, shown, status_code=409, flash="reminded")
    queued = "remind" if action == "remind" else "send"  # retry: send to those still pending
    _queue_mail(request, session, settings, shown, wave_id=wave.id, action=queued)
    return _page(request, session, settings, shown)


@router.get("/w/{key}/results/response-rates", response_class=HTMLResponse)
def response_rates(request: Request, key: str, session: SessionDep, user: UserDep) -> Response:
    """Every e-mail wave of the workspace with its response rate, next to the results."""
    workspace, role = open_workspace(session, user, key, Role.VIEWER)
    context = {
        "user": user,
        "workspace": workspace,
        "role": role,
        "waves": wave_rates.wave_rates(session, workspace),
    }
    return page(request, "response_rates.html", context)


@router.get("/optout/{token}", response_class=HTMLResponse)
def opt_out_form(request: Request, token: str, session: SessionDep) -> Response:
    """A confirmation button: a GET must not unsubscribe (mail scanners follow links)."""
    try:
        brand = mail_opt_outs.opt_out_sender(session, token)
    except NotFoundError:
        return page(request, "optout.html", {"state": "invalid"}, status_code=404)
    return page(request, "optout.html", {"state": "ask", "brand": brand, "token": token})


@router.post("/optout/{token}", response_class=HTMLResponse)
def opt_out(request: Request, token: str, session: SessionDep) -> Response:
    """No CSRF token: the secret link is the authority, and mail clients' one-click
    unsubscribe (RFC 8058) posts here without a session."""
    try:
        brand = mail_opt_outs.opt_out(session, token)
    except NotFoundError:
        return page(request, "optout.html", {"state": "invalid"}, status_code=404)
    return page(request, "optout.html", {"state": "done", "brand": brand})
