"""The taxonomy of topics: the table, a topic's row and edit page, adding, editing, retiring.

Viewers read; analysts and admins edit. Every change to what the models detect (a topic added,
edited, retired, adopted) queues a re-enrichment of the workspace.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from cxgap.db.tables import Topic, Workspace
from cxgap.errors import NotFoundError
from cxgap.jobs import enqueue_enrichment, progress_of
from cxgap.services import emerging, taxonomy
from cxgap.services.accounts import Principal, Role
from cxgap.services.taxonomy import TopicInput, split_lines, split_list
from cxgap.services.workspaces import pillars_of
from cxgap.web.deps import CsrfDep, CxDep, SessionDep, UserDep, open_workspace
from cxgap.web.listening_pages import can_edit, is_htmx, stale_seconds, touchpoint_context
from cxgap.web.render import locale_of, page

router = APIRouter(prefix="/w/{key}/listening")

Text = Annotated[str, Form(max_length=200)]
LongText = Annotated[str, Form(max_length=20_000)]
Keys = Annotated[list[str] | None, Form()]


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
        emerging.mark_adopted(session, workspace, emerging_cluster)
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
    if edit and not can_edit(role):
        edit = False
    context = _topic_context(request, session, workspace, role, topic)
    if is_htmx(request):
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
    if is_htmx(request):
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
        "can_edit": can_edit(role),
        "rows": taxonomy.topic_rows(session, workspace, locale=locale_of(request)),
        "pillars": pillars_of(session, workspace),
        "job": progress_of(session, workspace, stale_seconds=stale_seconds()),
        **touchpoint_context(request, session, workspace),
    }


def _topic_context(
    request: Request, session: SessionDep, workspace: Workspace, role: Role, topic: Topic
) -> dict[str, Any]:
    rows = taxonomy.topic_rows(session, workspace, locale=locale_of(request))
    row = next(r for r in rows if r.topic.key == topic.key)
    return {
        "workspace": workspace,
        "role": role,
        "can_edit": can_edit(role),
        "row": row,
        "pillars": pillars_of(session, workspace),
        **touchpoint_context(request, session, workspace),
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
