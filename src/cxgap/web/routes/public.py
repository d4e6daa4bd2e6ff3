"""Public answer forms reached by secret links, without logging in: the customer pillar
survey (``/s/{token}``) and the colleagues' self-assessment (``/a/{token}``)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from cxgap.db.tables import CustomerSurvey, InternalCampaign, Workspace
from cxgap.errors import (
    ConflictError,
    CsrfError,
    FieldProblem,
    InvitationUsedError,
    NotFoundError,
    RateLimitedError,
    ValidationError,
)
from cxgap.jobs import enqueue_enrichment
from cxgap.schema import (
    MAX_COMMENT_CHARS,
    MAX_SHORT_TEXT_CHARS,
    OLDEST_BIRTH_YEAR,
    YOUNGEST_AGE,
    parse_internal_answer,
)
from cxgap.services import answer_timing, answers, campaigns, survey_mailing
from cxgap.services.survey_feedback import comment_text
from cxgap.services.workspaces import pillars_of, segments_of, workspace_of
from cxgap.web.deps import SessionDep, SettingsDep
from cxgap.web.render import locale_of, page, translate_for
from cxgap.web.security import CSRF_FIELD, check_csrf
from cxgap.web.survey_link_query import LinkQuery, LinkQueryDep

router = APIRouter()

RESULT_SESSION_KEY = "public_assessment_result"
RESPONDENT_KEYS = "respondent_keys"
# The department column holds 100 characters although the schema allows 200.
_SUBMISSION_ID = re.compile(r"[0-9a-f]{32}")
_REFUSED = (ConflictError, NotFoundError, RateLimitedError)
_Link = TypeVar("_Link", CustomerSurvey, InternalCampaign)


async def _form_fields(request: Request) -> dict[str, str]:
    """The posted fields as text (a sync route then runs the database work off the loop)."""
    form = await request.form()
    return {name: value for name, value in form.multi_items() if isinstance(value, str)}


FormFieldsDep = Annotated[dict[str, str], Depends(_form_fields)]


@dataclass(frozen=True)
class PillarView:
    key: str
    name: str
    description: str


@dataclass(frozen=True)
class FormView:
    """Plain data for a form page, so it can still be rendered after a rollback."""

    token: str
    brand: str
    title: str
    pillars: list[PillarView]
    segments: list[tuple[str, str]] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    anchors: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ErrorReport:
    messages: dict[str, str]
    summary: list[tuple[str, str, str]]  # (element id, field label, message)


def _localized(item: Any, attribute: str, locale: str) -> str:
    return str(getattr(item, f"{attribute}_{'fr' if locale == 'fr' else 'en'}"))


def _pillar_views(
    session: Session, workspace: Workspace, locale: str, *, audience: str
) -> list[PillarView]:
    """Colleagues read the pillar's name and its description, written for the company.
    Customers read only the customer-facing prompt, as the question's title and in every
    label and error message; a pillar without a prompt shows its name, never the internal
    description."""

    def view(pillar: Any) -> PillarView:
        name = _localized(pillar, "name", locale)
        if audience == "customer":
            return PillarView(pillar.key, _localized(pillar, "prompt", locale) or name, "")
        return PillarView(pillar.key, name, _localized(pillar, "description", locale))

    return [view(p) for p in pillars_of(session, workspace)]


def _survey_view(session: Session, survey: CustomerSurvey, locale: str) -> FormView:
    workspace = workspace_of(session, survey)
    pillars = _pillar_views(session, workspace, locale, audience="customer")
    segments = [(s.key, _localized(s, "name", locale)) for s in segments_of(session, workspace)]
    t = _translator(locale)
    labels: dict[str, str] = {}
    anchors: dict[str, str] = {}
    for p in pillars:
        for aspect in ("importance", "performance"):
            name = f"{p.key}_{aspect}"
            labels[name] = f"{p.name} — {t(f'public.survey.{aspect}_short')}"
            anchors[name] = f"{name}-1"
    for name, first in (("nps", 0), ("csat", 1), ("ces", 1)):
        labels[name], anchors[name] = t(f"public.field.{name}"), f"{name}-{first}"
    for name in ("comment", "birth_year", "consent"):
        labels[name], anchors[name] = t(f"public.field.{name}"), name
    labels["segment"] = t("public.field.segment")
    anchors["segment"] = f"segment-{segments[0][0]}" if segments else "survey-form"
    return FormView(survey.token, workspace.name, survey.name, pillars, segments, labels, anchors)


def _assessment_view(session: Session, campaign: InternalCampaign, locale: str) -> FormView:
    workspace = workspace_of(session, campaign)
    pillars = _pillar_views(session, workspace, locale, audience="colleague")
    t = _translator(locale)
    labels: dict[str, str] = {}
    anchors: dict[str, str] = {}
    for p in pillars:
        for aspect in ("current", "desired"):
            name = f"{p.key}_{aspect}"
            labels[name] = f"{p.name} — {t(f'public.assessment.{aspect}_short')}"
            anchors[name] = f"{name}-1"
        labels[f"{p.key}_rank"] = f"{p.name} — {t('public.field.rank_short')}"
        anchors[f"{p.key}_rank"] = f"{p.key}_rank"
    labels["rank"] = t("public.field.rank")
    anchors["rank"] = f"{pillars[0].key}_rank" if pillars else "assessment-form"
    for name in ("department", "respondent", "comment"):
        labels[name], anchors[name] = t(f"public.field.{name}"), name
    return FormView(campaign.token, workspace.name, campaign.name, pillars, [], labels, anchors)


def _by_token(find: Callable[[Session, str], _Link], session: Session, token: str) -> _Link | None:
    try:
        return find(session, token)
    except NotFoundError:
        return None


def _translator(locale: str) -> partial[str]:
    return partial(translate_for, locale)


def _problem_text(problem: FieldProblem, locale: str, n_pillars: int) -> str:
    """The refusal in the respondent's language, from its code; the service's English for
    problems without one."""
    t = _translator(locale)
    if problem.field in (CSRF_FIELD, "submission_id"):
        return t("public.error.expired")
    if problem.code == "required":
        return t("public.error.required")
    if problem.code == "range":
        return t("public.error.range", **problem.params)
    if problem.code == "too_long":
        return t("public.error.too_long", **problem.params)
    if problem.code == "choice":
        return t("public.error.choice")
    if problem.code == "rank":
        return t("public.error.rank", n=problem.params.get("n", n_pillars))
    return problem.message


def _error_report(problems: Iterable[FieldProblem], view: FormView, locale: str) -> ErrorReport:
    messages: dict[str, str] = {}
    summary: list[tuple[str, str, str]] = []
    page_label = translate_for(locale, "public.field.form")
    for problem in problems:
        text = _problem_text(problem, locale, len(view.pillars))
        messages.setdefault(problem.field, text)
        anchor = view.anchors.get(problem.field, "form-errors")
        item = (anchor, view.labels.get(problem.field, page_label), text)
        if item not in summary:
            summary.append(item)
    return ErrorReport(messages, summary)


def _form_page(
    request: Request,
    template: str,
    view: FormView,
    values: Mapping[str, str],
    *,
    problems: Iterable[FieldProblem] = (),
    status_code: int = 200,
    **extra: object,
) -> Response:
    report = _error_report(problems, view, locale_of(request))
    context: dict[str, object] = {
        "form": view,
        "values": values,
        "errors": report.messages,
        "error_summary": report.summary,
        "submission_id": respondent_key(request, view.token, values.get("submission_id")),
        **extra,
    }
    return page(request, template, context, status_code=status_code)


def _unavailable(request: Request, reason: str, status_code: int, brand: str = "") -> Response:
    context = {"reason": reason, "brand": brand}
    return page(request, "public/unavailable.html", context, status_code=status_code)


def _form_problems(request: Request, fields: Mapping[str, str]) -> list[FieldProblem]:
    """An expired CSRF token or a mangled hidden id. The form comes back with the answers
    kept, rather than an error page that would lose a long questionnaire."""
    problems = []
    try:
        check_csrf(request, fields.get(CSRF_FIELD))
    except CsrfError as exc:
        problems.append(FieldProblem(CSRF_FIELD, str(exc)))
    if not _SUBMISSION_ID.fullmatch(fields.get("submission_id", "")):
        problems.append(FieldProblem("submission_id", "is missing or malformed"))
    return problems


def _status_for(problems: list[FieldProblem]) -> int:
    return 403 if any(p.field == CSRF_FIELD for p in problems) else 422


def respondent_key(request: Request, token: str, posted: str | None = None) -> str:
    """This visit's answer key for the link ``token``, kept in the signed session cookie:
    going Back and sending the form again updates the same answer. The form's hidden field
    carries it too, for a browser whose cookie was lost in between."""
    stored = request.session.get(RESPONDENT_KEYS)
    keys = dict(stored) if isinstance(stored, dict) else {}
    key = keys.get(token)
    if isinstance(key, str) and _SUBMISSION_ID.fullmatch(key):
        return key
    key = posted if posted and _SUBMISSION_ID.fullmatch(posted) else uuid.uuid4().hex
    keys[token] = key
    request.session[RESPONDENT_KEYS] = keys
    return key


def forget_respondent(request: Request, token: str) -> None:
    """The next answer from this browser is a new one (another colleague on this device)."""
    stored = request.session.get(RESPONDENT_KEYS)
    if isinstance(stored, dict) and token in stored:
        request.session[RESPONDENT_KEYS] = {k: v for k, v in stored.items() if k != token}


# --- the customer survey ----------------------------------------------------------------


def _survey_gate(survey: CustomerSurvey, invitation: str | None) -> tuple[str, int] | None:
    if not survey.is_open:
        return "survey_closed", 409
    if survey.invitation_only and not invitation:
        return "invitation_required", 403
    return None


def _survey_page(
    request: Request,
    view: FormView,
    values: Mapping[str, str],
    link: LinkQuery,
    **options: Any,
) -> Response:
    action = link.action(view.token)
    this_year = date.today().year
    return _form_page(
        request,
        "public/survey.html",
        view,
        values,
        action=action,
        comment_max=MAX_COMMENT_CHARS,
        birth_year_min=OLDEST_BIRTH_YEAR,
        birth_year_max=this_year - YOUNGEST_AGE,
        **answer_timing.form_guards(values, request.app.state.cx.settings),
        **options,
    )


@router.get("/s/{token}", response_class=HTMLResponse)
def survey_form(
    request: Request, token: str, session: SessionDep, settings: SettingsDep, link: LinkQueryDep
) -> Response:
    if (survey := _by_token(campaigns.survey_by_token, session, token)) is None:
        return _unavailable(request, "link_invalid", 404)
    invitation = link.invitation
    view = _survey_view(session, survey, locale_of(request))
    if gate := _survey_gate(survey, invitation):
        return _unavailable(request, *gate, brand=view.brand)
    try:
        # Tell an invitee whose link is wrong or used now, not after the whole questionnaire.
        found = answers.find_invitation(session, survey, invitation)
    except _REFUSED as exc:
        return _unavailable(request, _refusal_reason(exc, invitation), exc.status_code, view.brand)
    if found is not None:
        survey_mailing.mark_opened(session, found)  # response rates per e-mail wave
    answered = found is not None and found.used_at is not None
    unit = link.unit(settings.resolved_secret_key(), token)  # shown only when signed
    return _survey_page(request, view, {}, link, already_answered=answered, unit=unit)


@router.post("/s/{token}", response_class=HTMLResponse)
def submit_survey(
    request: Request,
    token: str,
    session: SessionDep,
    settings: SettingsDep,
    fields: FormFieldsDep,
    link: LinkQueryDep,
) -> Response:
    if (survey := _by_token(campaigns.survey_by_token, session, token)) is None:
        return _unavailable(request, "link_invalid", 404)
    invitation = link.invitation
    # The form's labels are needed only to answer with a page: an accepted answer (the
    # common case under load) is a redirect, and skips their queries and translations.
    locale = locale_of(request)
    page_view = _LazyView(lambda: _survey_view(session, survey, locale))
    if gate := _survey_gate(survey, invitation):
        return _unavailable(request, *gate, brand=page_view().brand)
    if problems := _form_problems(request, fields):
        code = _status_for(problems)
        return _survey_page(request, page_view(), fields, link, problems=problems, status_code=code)
    submission = answers.PublicSubmission(
        form=fields,
        submission_id=respondent_key(request, token, fields["submission_id"]),
        client_ip=request.client.host if request.client else "unknown",
        invitation_token=invitation,
        unit=link.unit(settings.resolved_secret_key(), token),  # bad signature: no unit
    )
    try:
        response_id = answers.submit_customer_answer(
            session,
            survey=survey,
            submission=submission,
            secret=settings.resolved_secret_key(),
            rate_limit=settings.survey_rate_limit,
        )
    except ValidationError as exc:
        # The request's transaction would commit whatever ran before the refusal: undo it.
        # The view (plain data) is read first: the transaction is unusable after a rollback.
        view = page_view()
        session.rollback()
        return _survey_page(request, view, fields, link, problems=exc.problems, status_code=422)
    except _REFUSED as exc:
        brand = page_view().brand
        session.rollback()
        return _unavailable(request, _refusal_reason(exc, invitation), exc.status_code, brand)
    if response_id is not None and comment_text(fields.get("comment")):
        # The comment is now feedback (stored with the answer): have it enriched.
        enqueue_enrichment(session, workspace_of(session, survey))
    return RedirectResponse(f"/s/{token}/thanks", status_code=303)


class _LazyView:
    """A form view built on first use, then kept."""

    def __init__(self, build: Callable[[], FormView]) -> None:
        self.build = build
        self.view: FormView | None = None

    def __call__(self) -> FormView:
        if self.view is None:
            self.view = self.build()
        return self.view


def _refusal_reason(exc: Exception, invitation: str | None) -> str:
    if isinstance(exc, RateLimitedError):
        return "rate_limited"
    if isinstance(exc, NotFoundError):
        return "invitation_invalid" if invitation else "link_invalid"
    if isinstance(exc, InvitationUsedError):
        return "invitation_used"
    return "already_received"


@router.get("/s/{token}/thanks", response_class=HTMLResponse)
def survey_thanks(request: Request, token: str, session: SessionDep) -> Response:
    if (survey := _by_token(campaigns.survey_by_token, session, token)) is None:
        return _unavailable(request, "link_invalid", 404)
    return page(request, "public/thanks.html", {"brand": workspace_of(session, survey).name})


# --- the internal self-assessment -------------------------------------------------------


def _assessment_page(
    request: Request, view: FormView, values: Mapping[str, str], **options: Any
) -> Response:
    t = _translator(locale_of(request))
    return _form_page(
        request,
        "public/assessment.html",
        view,
        values,
        departments=[d for d in t("public.assessment.departments").split("|") if d],
        department_max=MAX_SHORT_TEXT_CHARS,
        short_max=MAX_SHORT_TEXT_CHARS,
        comment_max=MAX_COMMENT_CHARS,
        **options,
    )


@router.get("/a/{token}", response_class=HTMLResponse)
def assessment_form(request: Request, token: str, session: SessionDep) -> Response:
    if (campaign := _by_token(campaigns.campaign_by_token, session, token)) is None:
        return _unavailable(request, "link_invalid", 404)
    view = _assessment_view(session, campaign, locale_of(request))
    if not campaign.is_open:
        return _unavailable(request, "assessment_closed", 409, view.brand)
    stored = answers.stored_internal_values(
        session, campaign=campaign, submission_id=respondent_key(request, token)
    )
    return _assessment_page(request, view, stored, already_answered=bool(stored))


@router.post("/a/{token}", response_class=HTMLResponse)
def submit_assessment(
    request: Request, token: str, session: SessionDep, fields: FormFieldsDep
) -> Response:
    if (campaign := _by_token(campaigns.campaign_by_token, session, token)) is None:
        return _unavailable(request, "link_invalid", 404)
    view = _assessment_view(session, campaign, locale_of(request))
    if not campaign.is_open:
        return _unavailable(request, "assessment_closed", 409, view.brand)
    if problems := _form_problems(request, fields):
        code = _status_for(problems)
        return _assessment_page(request, view, fields, problems=problems, status_code=code)
    try:
        receipt = answers.submit_internal_answer(
            session,
            campaign=campaign,
            form=fields,
            submission_id=respondent_key(request, token, fields["submission_id"]),
        )
    except ValidationError as exc:
        session.rollback()
        return _assessment_page(request, view, fields, problems=exc.problems, status_code=422)
    except ConflictError as exc:
        session.rollback()
        return _unavailable(request, "already_received", exc.status_code, view.brand)
    # The result lives in the signed session cookie: a refresh re-reads it, never re-posts.
    scores = parse_internal_answer(fields, pillar_keys=[p.key for p in view.pillars]).pillars
    request.session[RESULT_SESSION_KEY] = {
        "token": token,
        "total": receipt.total,
        "maximum": receipt.maximum,
        "updated": receipt.updated,
        "scores": {key: [s.current, s.desired] for key, s in scores.items()},
    }
    return RedirectResponse(f"/a/{token}/result", status_code=303)


@router.get("/a/{token}/result", response_class=HTMLResponse)
def assessment_result(request: Request, token: str, session: SessionDep) -> Response:
    if (campaign := _by_token(campaigns.campaign_by_token, session, token)) is None:
        return _unavailable(request, "link_invalid", 404)
    view = _assessment_view(session, campaign, locale_of(request))
    result = request.session.get(RESULT_SESSION_KEY)
    if not isinstance(result, dict) or result.get("token") != token:
        return _unavailable(request, "result_missing", 404, view.brand)
    scores = result.get("scores", {})
    rows = [(p, *scores[p.key]) for p in view.pillars if p.key in scores]
    context = {
        "form": view,
        "rows": rows,
        "total": result["total"],
        "maximum": result["maximum"],
        "updated": bool(result.get("updated")),
    }
    return page(request, "public/assessment_result.html", context)


@router.post("/a/{token}/another")
def another_colleague(request: Request, token: str, fields: FormFieldsDep) -> Response:
    """Start a new answer from this browser: the next form is another colleague's."""
    try:
        check_csrf(request, fields.get(CSRF_FIELD))
    except CsrfError:
        return RedirectResponse(f"/a/{token}/result", status_code=303)
    forget_respondent(request, token)
    request.session.pop(RESULT_SESSION_KEY, None)
    return RedirectResponse(f"/a/{token}", status_code=303)
