"""The badges editor (``/w/{key}/community/badges``, admins; ``docs/community.md``): the
workspace's badges with how many people hold each; create and edit one (names and
descriptions in both languages, the rule ``metric >= N``, one-time or repeatable, a bundled
icon or an uploaded PNG/JPEG/WebP), disable or delete it. A change of who may hold a badge
queues the ``badges`` job; the page says so. The uploaded images are served, as PNG, at
``/community/{key}/badges/images/{id}.png`` for the public badge pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile as StarletteUpload

from cxgap.community.badge_edits import BadgeDraft, check_badge
from cxgap.community.badge_images import BUNDLED, MAX_BYTES, BadgePicture, check_picture
from cxgap.community.badges import parse_rule
from cxgap.community.reputation import METRICS
from cxgap.db.tables import BadgeDefinition, Workspace
from cxgap.errors import FieldProblem, NotFoundError, ValidationError
from cxgap.jobs import queue_badges
from cxgap.services import badge_editor
from cxgap.services.accounts import Principal, Role
from cxgap.services.workspaces import get_workspace
from cxgap.web.deps import CsrfDep, SessionDep, UserDep, open_workspace
from cxgap.web.render import locale_of, page, problem_text, translate_for

router = APIRouter()
BADGES = "/w/{key}/community/badges"
LABELS = {
    "name_en": "community_admin.field.name_en",
    "name_fr": "community_admin.field.name_fr",
    "description_en": "community_admin.badges.description_en",
    "description_fr": "community_admin.badges.description_fr",
    "metric": "community_admin.badges.metric",
    "threshold": "community_admin.badges.threshold",
    "icon": "community_admin.badges.icon",
    "image": "community_admin.badges.upload",
}


def image_url(key: str, badge: BadgeDefinition) -> str:
    if badge.image_id is not None:
        return f"/community/{key}/badges/images/{badge.image_id}.png"
    return f"/static/badges/{badge.image}"


def _said(locale: str, problem: FieldProblem) -> str:
    label = LABELS.get(problem.field)
    if label is None:
        return problem_text(locale, problem)
    named = FieldProblem(
        translate_for(locale, label),
        problem.message,
        problem.value,
        code=problem.code,
        params=problem.params,
    )
    return problem_text(locale, named)


@router.get(BADGES, response_class=HTMLResponse)
def badges_page(request: Request, key: str, session: SessionDep, user: UserDep) -> Response:
    workspace, role = open_workspace(session, user, key, Role.ADMIN)
    lines = badge_editor.badge_lines(session, workspace)
    context = {
        "user": user,
        "workspace": workspace,
        "role": role,
        "lines": [(line, image_url(key, line.badge)) for line in lines],
        "queued": request.query_params.get("queued", ""),
    }
    return page(request, "community/badges_admin.html", context)


def _values(badge: BadgeDefinition | None) -> dict[str, str]:
    if badge is None:
        return {"metric": "accepted_answers", "threshold": "1", "icon": BUNDLED[0]}
    rule = parse_rule(badge.rule)
    return {
        "name_en": badge.name_en,
        "name_fr": badge.name_fr,
        "description_en": badge.description_en,
        "description_fr": badge.description_fr,
        "metric": rule.metric,
        "threshold": str(rule.threshold),
        "repeatable": "1" if badge.repeatable else "",
        "icon": "upload" if badge.image_id is not None else badge.image,
    }


def _editor(
    request: Request,
    user: Principal,
    workspace: Workspace,
    role: Role,
    badge: BadgeDefinition | None,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    context = {
        "user": user,
        "workspace": workspace,
        "role": role,
        "badge": badge,
        "current_image": None if badge is None else image_url(workspace.key, badge),
        "metrics": METRICS,
        "icons": BUNDLED,
        "values": values if values is not None else _values(badge),
        "errors": errors or {},
        "max_kb": MAX_BYTES // 1024,
    }
    status = 422 if errors else 200
    return page(request, "community/badge_edit.html", context, status_code=status)


@router.get(BADGES + "/new", response_class=HTMLResponse)
def new_badge(request: Request, key: str, session: SessionDep, user: UserDep) -> Response:
    workspace, role = open_workspace(session, user, key, Role.ADMIN)
    return _editor(request, user, workspace, role, None)


@router.get(BADGES + "/{badge_id}", response_class=HTMLResponse)
def edit_badge(
    request: Request, key: str, badge_id: int, session: SessionDep, user: UserDep
) -> Response:
    workspace, role = open_workspace(session, user, key, Role.ADMIN)
    badge = badge_editor.badge_of(session, workspace, badge_id)
    return _editor(request, user, workspace, role, badge)


def _picture(upload: bytes | None) -> BadgePicture | None:
    return None if upload is None else check_picture(upload)


def _draft(values: dict[str, str]) -> BadgeDraft:
    icon = values.get("icon", "")
    return check_badge(
        name_en=values.get("name_en", ""),
        name_fr=values.get("name_fr", ""),
        description_en=values.get("description_en", ""),
        description_fr=values.get("description_fr", ""),
        metric=values.get("metric", ""),
        threshold=values.get("threshold", ""),
        repeatable=values.get("repeatable") == "1",
        icon=BUNDLED[0] if icon == "upload" else icon,
    )


def _save(
    request: Request,
    session: Session,
    user: Principal,
    key: str,
    badge_id: int | None,
    form: BadgeForm,
) -> Response:
    workspace, role = open_workspace(session, user, key, Role.ADMIN)
    values, upload = form.values, form.upload
    badge = None if badge_id is None else badge_editor.badge_of(session, workspace, badge_id)
    problems: list[FieldProblem] = []
    picture: BadgePicture | None = None
    draft: BadgeDraft | None = None
    try:
        picture = _picture(upload)
    except ValidationError as exc:
        problems += exc.problems
    try:
        draft = _draft(values)
    except ValidationError as exc:
        problems += exc.problems
    kept = badge is not None and badge.image_id is not None
    if values.get("icon") == "upload" and picture is None and not kept and not problems:
        problems.append(FieldProblem("image", "needs a file to upload", code="required"))
    if problems or draft is None:
        locale = locale_of(request)
        errors = {p.field: _said(locale, p) for p in problems}
        return _editor(request, user, workspace, role, badge, values=values, errors=errors)
    if badge is None:
        saved = badge_editor.create_badge(
            session, workspace=workspace, draft=draft, picture=picture
        )
        changed = True
    else:
        saved, changed = badge_editor.update_badge(
            session,
            workspace=workspace,
            badge_id=badge.id,
            draft=draft,
            picture=picture,
            use_icon=values.get("icon") != "upload",
        )
    job = queue_badges(session, workspace.id, user.user_id) if changed else None
    queued = f"&queued={job.id}" if job is not None else ""
    return RedirectResponse(
        f"/w/{workspace.key}/community/badges?saved={saved.id}{queued}#badge-{saved.id}",
        status_code=303,
    )


FIELDS = ("name_en", "name_fr", "description_en", "description_fr", "metric", "threshold",
          "repeatable", "icon")  # fmt: skip


@dataclass(frozen=True)
class BadgeForm:
    values: dict[str, str]
    upload: bytes | None  # the chosen file's first MAX_BYTES + 1 bytes, None without one


async def _badge_form(request: Request) -> BadgeForm:
    """The editor's fields and its file, read without judging them: the role is checked
    before anything is refused."""
    form = await request.form()
    values = {name: value[:400] for name in FIELDS if isinstance(value := form.get(name, ""), str)}
    upload = form.get("image")
    data = None
    if isinstance(upload, StarletteUpload) and upload.filename:
        data = await upload.read(MAX_BYTES + 1)
    return BadgeForm(values, data)


FormDep = Annotated[BadgeForm, Depends(_badge_form)]


@router.post(BADGES, response_class=HTMLResponse)
def create_badge(
    request: Request,
    key: str,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
    form: FormDep,
) -> Response:
    return _save(request, session, user, key, None, form)


@router.post(BADGES + "/{badge_id}", response_class=HTMLResponse)
def save_badge(
    request: Request,
    key: str,
    badge_id: int,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
    form: FormDep,
) -> Response:
    return _save(request, session, user, key, badge_id, form)


@router.post(BADGES + "/{badge_id}/active")
def set_active(
    key: str,
    badge_id: int,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
    active: Annotated[str, Form(max_length=1)] = "",
) -> Response:
    """Disable a badge (its copies revoked by the job) or enable it again."""
    workspace, _ = open_workspace(session, user, key, Role.ADMIN)
    changed = badge_editor.set_active(
        session, workspace=workspace, badge_id=badge_id, active=active == "1"
    )
    job = queue_badges(session, workspace.id, user.user_id) if changed else None
    queued = f"?queued={job.id}" if job is not None else ""
    return RedirectResponse(f"/w/{key}/community/badges{queued}#badge-{badge_id}", status_code=303)


@router.post(BADGES + "/{badge_id}/delete")
def delete_badge(
    key: str, badge_id: int, session: SessionDep, user: UserDep, _csrf: CsrfDep
) -> Response:
    workspace, _ = open_workspace(session, user, key, Role.ADMIN)
    badge_editor.delete_badge(session, workspace=workspace, badge_id=badge_id)
    return RedirectResponse(f"/w/{key}/community/badges", status_code=303)


@router.get("/community/{key}/badges/images/{image_id}.png")
def badge_image(key: str, image_id: int, session: SessionDep) -> Response:
    """An uploaded badge image (public: the badge pages show it), always the PNG cxgap drew;
    the app's headers add ``nosniff`` and its Content-Security-Policy."""
    try:
        image = badge_editor.image_of(session, get_workspace(session, key), image_id)
    except NotFoundError:
        return Response(status_code=404)
    headers = {
        "Cache-Control": "public, max-age=86400",
        "ETag": f'"{image.sha256}"',
    }
    return Response(image.data, media_type="image/png", headers=headers)
