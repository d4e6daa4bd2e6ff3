"""Listening: enrichment progress, the taxonomy of topics, emerging topics, label corrections.

Viewers read; analysts and admins edit. Every change to what the models detect (a topic
added, edited, retired, adopted; a label corrected) queues a re-enrichment of the workspace.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from cxgap.db.tables import Topic, Workspace
from cxgap.errors import NotFoundError
from cxgap.jobs import store
from cxgap.jobs.settings import QueueSettings
from cxgap.jobs.worker import enqueue_enrichment
from cxgap.services import corrections, emerging, taxonomy, topic_links
from cxgap.services.accounts import Principal, Role
from cxgap.services.corrections import CorrectionInput
from cxgap.services.taxonomy import TopicInput, split_lines, split_list
from cxgap.services.workspaces import pillars_of
from cxgap.text.protocols import Embedder
from cxgap.web.deps import CsrfDep, CxDep, SessionDep, UserDep, open_workspace
from cxgap.web.render import locale_of, page

router = APIRouter(prefix="/w/{key}/listening")

Text = Annotated[str, Form(max_length=200)]
LongText = Annotated[str, Form(max_length=20_000)]
Keys = Annotated[list[str] | None, Form()]


def _is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def _can_edit(role: Role) -> bool:
    return role.level >= Role.ANALYST.level


# ---------- enrichment progress ----------


@router.get("/enrichment", response_class=HTMLResponse)
def enrichment_progress(request: Request, key: str, session: SessionDep, user: UserDep) -> Response:
    """The progress fragment (other pages include it); it polls itself while a job runs."""
    workspace, role = open_workspace(session, user, key, Role.VIEWER)
    return _progress_fragment(request, session, workspace, role)


@router.get("/enrichment.json")
def enrichment_json(key: str, session: SessionDep, user: UserDep) -> dict[str, Any]:
    workspace, _ = open_workspace(session, user, key, Role.VIEWER)
    shown = store.progress_of(session, workspace, stale_seconds=_stale_seconds())
    return {"workspace": workspace.key, "job": shown.as_dict() if shown else None}


@router.post("/enrichment", response_class=HTMLResponse)
def enrich_now(
    request: Request, key: str, session: SessionDep, user: UserDep, _csrf: CsrfDep
) -> Response:
    """Queue the enrichment of whatever is pending (new feedback, a new model)."""
    workspace, role = open_workspace(session, user, key, Role.ANALYST)
    enqueue_enrichment(session, workspace)
    session.flush()
    if _is_htmx(request):
        return _progress_fragment(request, session, workspace, role)
    return RedirectResponse(f"/w/{key}/listening/taxonomy", status_code=303)


def _progress_fragment(
    request: Request, session: SessionDep, workspace: Workspace, role: Role
) -> Response:
    shown = store.progress_of(session, workspace, stale_seconds=_stale_seconds())
    context = {"workspace": workspace, "role": role, "job": shown, "can_edit": _can_edit(role)}
    return page(request, "_enrichment_progress.html", context)


def _stale_seconds() -> int:
    return QueueSettings.from_env().stale_seconds


# ---------- taxonomy ----------


@router.get("/taxonomy", response_class=HTMLResponse)
def taxonomy_page(request: Request, key: str, session: SessionDep, user: UserDep) -> Response:
    workspace, role = open_workspace(session, user, key, Role.VIEWER)
    return page(
        request, "taxonomy.html", _taxonomy_context(request, session, workspace, role, user)
    )


@router.get("/taxonomy.json")
def taxonomy_json(request: Request, key: str, session: SessionDep, user: UserDep) -> dict[str, Any]:
    workspace, _ = open_workspace(session, user, key, Role.VIEWER)
    rows = taxonomy.topic_rows(session, workspace, locale=locale_of(request))
    return {"workspace": workspace.key, "topics": [_topic_dict(r.topic, r.volume) for r in rows]}


@router.post("/taxonomy")
def add_topic(
    key: str,
    session: SessionDep,
    cx: CxDep,
    user: UserDep,
    _csrf: CsrfDep,
    topic_key: Annotated[str, Form(max_length=63)],
    name_en: Text,
    name_fr: Text,
    description: LongText = "",
    description_fr: LongText = "",
    examples: LongText = "",
    keywords: LongText = "",
    pillar_keys: Keys = None,
    touchpoint_keys: Keys = None,
    origin: Annotated[str, Form(max_length=16)] = "analyst",
    emerging_cluster: Annotated[str, Form(max_length=63)] = "",
) -> Response:
    workspace, _ = open_workspace(session, user, key, Role.ANALYST)
    data = _topic_input(
        topic_key,
        name_en,
        name_fr,
        (description, description_fr),
        examples,
        keywords,
        pillar_keys,
        touchpoint_keys,
    )
    taxonomy.create_topic(
        session,
        workspace=workspace,
        data=data,
        origin="emerging" if origin == "emerging" else "analyst",
    )
    enqueue_enrichment(session, workspace)
    if origin == "emerging" and emerging_cluster:  # hidden until the next computation
        emerging.mark_adopted(cx.settings.data_dir, workspace, emerging_cluster)
    return RedirectResponse(f"/w/{key}/listening/taxonomy#topic-{data.key}", status_code=303)


@router.get("/taxonomy/{topic_key}", response_class=HTMLResponse)
def topic_row(
    request: Request,
    key: str,
    topic_key: str,
    session: SessionDep,
    user: UserDep,
    edit: bool = False,
) -> Response:
    """One topic: its table row (htmx; ``edit=1`` for the row's edit form) or its edit page."""
    workspace, role = open_workspace(session, user, key, Role.VIEWER)
    topic = taxonomy.get_topic(session, workspace, topic_key)
    if edit and not _can_edit(role):
        edit = False
    context = _topic_context(request, session, workspace, role, topic)
    if _is_htmx(request):
        return page(request, "_taxonomy_row.html", {**context, "editing": edit})
    return page(request, "taxonomy_edit.html", {**context, "user": user})


@router.post("/taxonomy/{topic_key}", response_class=HTMLResponse)
def edit_topic(
    request: Request,
    key: str,
    topic_key: str,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
    action: Annotated[str, Form(max_length=16)],
    name_en: Text = "",
    name_fr: Text = "",
    description: LongText = "",
    description_fr: LongText = "",
    examples: LongText = "",
    keywords: LongText = "",
    pillar_keys: Keys = None,
    touchpoint_keys: Keys = None,
) -> Response:
    workspace, role = open_workspace(session, user, key, Role.ANALYST)
    detected = taxonomy.detection_fingerprint(session, workspace)
    if action == "save":
        data = _topic_input(
            topic_key,
            name_en,
            name_fr,
            (description, description_fr),
            examples,
            keywords,
            pillar_keys,
            touchpoint_keys,
        )
        topic = taxonomy.update_topic(session, workspace=workspace, key=topic_key, data=data)
    elif action in ("retire", "restore"):
        topic = taxonomy.set_topic_active(
            session, workspace=workspace, key=topic_key, active=action == "restore"
        )
    else:
        raise NotFoundError(f"Unknown topic action {action!r}")
    if taxonomy.detection_fingerprint(session, workspace) != detected:  # not for links alone
        enqueue_enrichment(session, workspace)
    if _is_htmx(request):
        context = _topic_context(request, session, workspace, role, topic)
        return page(request, "_taxonomy_row.html", {**context, "editing": False, "saved": True})
    return RedirectResponse(f"/w/{key}/listening/taxonomy#topic-{topic_key}", status_code=303)


def _topic_input(
    topic_key: str,
    name_en: str,
    name_fr: str,
    descriptions: tuple[str, str],
    examples: str,
    keywords: str,
    pillar_keys: list[str] | None,
    touchpoint_keys: list[str] | None,
) -> TopicInput:
    return TopicInput(
        key=topic_key,
        name_en=name_en,
        name_fr=name_fr,
        description=descriptions[0],
        description_fr=descriptions[1],
        examples=split_lines(examples),
        keywords=split_list(keywords),
        pillar_keys=tuple(pillar_keys or ()),
        touchpoint_keys=tuple(dict.fromkeys(touchpoint_keys or ())),
    )


def _taxonomy_context(
    request: Request, session: SessionDep, workspace: Workspace, role: Role, user: Principal
) -> dict[str, Any]:
    return {
        "user": user,
        "workspace": workspace,
        "role": role,
        "can_edit": _can_edit(role),
        "rows": taxonomy.topic_rows(session, workspace, locale=locale_of(request)),
        "pillars": pillars_of(session, workspace),
        "job": store.progress_of(session, workspace, stale_seconds=_stale_seconds()),
        **_touchpoint_context(request, session, workspace),
    }


def _touchpoint_context(request: Request, session: SessionDep, workspace: Any) -> dict[str, Any]:
    """The touchpoint picker's choices (by journey, stage and name) and their labels."""
    choices = topic_links.touchpoint_choices(session, workspace, locale_of(request))
    return {
        "touchpoint_choices": choices,
        "touchpoint_labels": topic_links.touchpoint_labels(choices),
    }


def _topic_context(
    request: Request, session: SessionDep, workspace: Workspace, role: Role, topic: Topic
) -> dict[str, Any]:
    rows = taxonomy.topic_rows(session, workspace, locale=locale_of(request))
    row = next(r for r in rows if r.topic.key == topic.key)
    return {
        "workspace": workspace,
        "role": role,
        "can_edit": _can_edit(role),
        "row": row,
        "pillars": pillars_of(session, workspace),
        **_touchpoint_context(request, session, workspace),
    }


def _topic_dict(topic: Topic, volume: int) -> dict[str, Any]:
    return {
        "key": topic.key,
        "name_en": topic.name_en,
        "name_fr": topic.name_fr,
        "description": topic.description,
        "description_fr": topic.description_fr,
        "examples": topic.examples,
        "keywords": topic.keywords,
        "pillar_keys": topic.pillar_keys,
        "touchpoint_keys": topic.touchpoint_keys,
        "origin": topic.origin,
        "active": topic.active,
        "volume": volume,
    }


# ---------- emerging topics ----------


@router.get("/emerging", response_class=HTMLResponse)
def emerging_page(
    request: Request, key: str, session: SessionDep, user: UserDep, cx: CxDep
) -> Response:
    """The stored emerging topics (computed in the background), read instantly."""
    workspace, role = open_workspace(session, user, key, Role.VIEWER)
    context = _emerging_context(session, workspace, role, cx.settings.data_dir)
    context.update(user=user, pillars=pillars_of(session, workspace))
    context.update(_touchpoint_context(request, session, workspace))
    return page(request, "emerging.html", context)


@router.get("/emerging/status", response_class=HTMLResponse)
def emerging_status(
    request: Request, key: str, session: SessionDep, user: UserDep, cx: CxDep
) -> Response:
    """The "computing…" fragment, polled by htmx; once done, it has the page reloaded."""
    workspace, role = open_workspace(session, user, key, Role.VIEWER)
    context = _emerging_context(session, workspace, role, cx.settings.data_dir)
    response = page(request, "_emerging_status.html", context)
    if not context["computing"]:
        response.headers["HX-Refresh"] = "true"
    return response


@router.post("/emerging/recompute", response_class=HTMLResponse)
def emerging_recompute(
    request: Request, key: str, session: SessionDep, user: UserDep, cx: CxDep, _csrf: CsrfDep
) -> Response:
    """Recompute the emerging topics in the background (analysts); the page polls meanwhile."""
    workspace, role = open_workspace(session, user, key, Role.ANALYST)
    app = request.app
    emerging.recompute_in_background(
        cx.sessions, workspace, cx.settings.data_dir, lambda: _app_embedder(app)
    )
    if _is_htmx(request):
        context = _emerging_context(session, workspace, role, cx.settings.data_dir)
        return page(request, "_emerging_status.html", context)
    return RedirectResponse(f"/w/{key}/listening/emerging", status_code=303)


@router.get("/emerging.json")
def emerging_json(key: str, session: SessionDep, user: UserDep, cx: CxDep) -> dict[str, Any]:
    workspace, _ = open_workspace(session, user, key, Role.VIEWER)
    data_dir = cx.settings.data_dir
    stored = emerging.load_stored(data_dir, workspace)
    fresh = emerging.freshness(session, workspace, stored) if stored else None
    return {
        "workspace": workspace.key,
        "computing": emerging.is_computing(data_dir, workspace),
        "computed_at": stored.computed_at.isoformat() if stored else None,
        "version": stored.version if stored else None,
        "new_feedback": fresh.new_feedback if fresh else None,
        "version_changed": fresh.version_changed if fresh else None,
        "stale": fresh.stale if fresh else None,
        "clusters": [c.as_dict() for c in stored.shown] if stored else [],
    }


def _emerging_context(
    session: SessionDep, workspace: Workspace, role: Role, data_dir: Path
) -> dict[str, Any]:
    stored = emerging.load_stored(data_dir, workspace)
    return {
        "workspace": workspace,
        "role": role,
        "can_edit": _can_edit(role),
        "stored": stored,
        "fresh": emerging.freshness(session, workspace, stored) if stored else None,
        "clusters": stored.shown if stored else [],
        "computing": emerging.is_computing(data_dir, workspace),
    }


def _app_embedder(app: Any) -> Embedder:
    """The app's embedder (a test may set one), else the process's bundled model."""
    embedder: Embedder | None = getattr(app.state, "embedder", None)
    if embedder is None:
        embedder = emerging.default_embedder()
        app.state.embedder = embedder
    return embedder


# ---------- learning from corrections ----------


@router.post("/feedback/{feedback_id}/labels", response_class=HTMLResponse)
def correct_label(
    request: Request,
    key: str,
    feedback_id: int,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
    kind: Annotated[str, Form(max_length=16)],
    value: Annotated[str, Form(max_length=64)],
    applies: Annotated[bool, Form()] = True,
    start: Annotated[int | None, Form(ge=0)] = None,
    end: Annotated[int | None, Form(ge=0)] = None,
) -> Response:
    """Store the correction; the workspace model is retrained and the feedback re-enriched by
    the background job (not in this request)."""
    workspace, role = open_workspace(session, user, key, Role.ANALYST)
    correction = corrections.record_correction(
        session,
        workspace=workspace,
        feedback_id=feedback_id,
        correction=CorrectionInput(kind=kind, value=value, applies=applies, start=start, end=end),
        user_id=user.user_id,
    )
    job = enqueue_enrichment(session, workspace)
    context = {"workspace": workspace, "role": role, "correction": correction, "job_id": job.id}
    return page(request, "_taxonomy_label_saved.html", context)
