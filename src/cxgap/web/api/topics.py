"""The topic taxonomy and label corrections."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from cxgap import audit
from cxgap.db.tables import LabelCorrection, Topic
from cxgap.jobs import enqueue_enrichment
from cxgap.services import corrections, taxonomy
from cxgap.services.accounts import Role
from cxgap.services.corrections import CorrectionInput
from cxgap.services.taxonomy import TopicInput
from cxgap.web.api.deps import CallerDep, open_workspace
from cxgap.web.api.errors import error_responses
from cxgap.web.api.fields import KEY_PATTERN, MAX_ID, NOT_BLANK
from cxgap.web.api.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery, Page, paginate
from cxgap.web.audit_hooks import note_deletion
from cxgap.web.deps import SessionDep

router = APIRouter(prefix="/api/v1/workspaces/{key}")


class TopicIn(BaseModel):
    name_en: str = Field(max_length=200, pattern=NOT_BLANK)
    name_fr: str = Field(max_length=200, pattern=NOT_BLANK)
    description: str = Field("", max_length=2000)
    description_fr: str | None = Field(
        None, max_length=2000, description="In French; left out, an edit keeps the stored one"
    )
    examples: list[str] = Field(default_factory=list, max_length=100)
    keywords: list[str] = Field(default_factory=list, max_length=100)
    pillar_keys: list[str] = Field(default_factory=list, max_length=50)
    touchpoint_keys: list[Annotated[str, Field(pattern=KEY_PATTERN)]] = Field(
        default_factory=list, max_length=200
    )


class TopicChange(TopicIn):
    active: bool | None = Field(None, description="true brings a retired topic back")


class NewTopicIn(TopicIn):
    key: str = Field(max_length=63, pattern=KEY_PATTERN)


class TopicOut(NewTopicIn):
    key: str  # as stored (emerging topics name their own keys)
    name_en: str
    name_fr: str
    origin: str = Field(description="default, emerging or analyst")
    active: bool
    volume: int = Field(0, description="Feedback records that mention the topic")


class CorrectionIn(BaseModel):
    feedback_id: int = Field(ge=1, le=MAX_ID)
    kind: str = Field(description="sentiment or topic", max_length=16)
    value: str = Field(description="positive/neutral/negative, or a topic key", max_length=64)
    applies: bool = Field(True, description="For a topic: false removes it from the text")
    start: int | None = Field(None, ge=0, le=MAX_ID, description="Clause start offset in the text")
    end: int | None = Field(None, ge=0, le=MAX_ID, description="Clause end offset in the text")


class CorrectionOut(BaseModel):
    id: int
    kind: str
    value: str
    applies: bool
    text: str = Field(description="The corrected clause (or whole text): a training example")
    created_at: datetime


@router.get(
    "/topics",
    response_model=Page[TopicOut],
    tags=["topics"],
    operation_id="list_topics",
    responses=error_responses(),
)
def list_topics(
    key: str,
    session: SessionDep,
    caller: CallerDep,
    limit: LimitQuery = DEFAULT_LIMIT,
    cursor: CursorQuery = None,
) -> Page[TopicOut]:
    """The taxonomy in its order, retired topics included, with their volumes."""
    workspace, _ = open_workspace(session, caller, key, Role.VIEWER)
    rows = [_topic(r.topic, r.volume) for r in taxonomy.topic_rows(session, workspace)]
    items, after = paginate(rows, limit=limit, cursor=cursor)
    return Page[TopicOut](items=items, next=after)


@router.post(
    "/topics",
    response_model=TopicOut,
    status_code=201,
    tags=["topics"],
    operation_id="create_topic",
    responses=error_responses(409),
)
def create_topic(key: str, body: NewTopicIn, session: SessionDep, caller: CallerDep) -> TopicOut:
    """Add a topic; the feedback is then re-analysed in the background."""
    workspace, _ = open_workspace(session, caller, key, Role.ANALYST)
    topic = taxonomy.create_topic(session, workspace=workspace, data=_input(body.key, body))
    enqueue_enrichment(session, workspace)
    return _topic(topic)


@router.put(
    "/topics/{topic_key}",
    response_model=TopicOut,
    tags=["topics"],
    operation_id="update_topic",
    responses=error_responses(),
)
def update_topic(
    key: str, topic_key: str, body: TopicChange, session: SessionDep, caller: CallerDep
) -> TopicOut:
    """Replace a topic's names, description, examples, keywords and mapping; ``active``
    retires it or brings it back."""
    workspace, _ = open_workspace(session, caller, key, Role.ANALYST)
    data = _input(topic_key, body)
    topic = taxonomy.update_topic(session, workspace=workspace, key=topic_key, data=data)
    if body.active is not None:
        topic = taxonomy.set_topic_active(
            session, workspace=workspace, key=topic_key, active=body.active
        )
    enqueue_enrichment(session, workspace)
    return _topic(topic)


@router.delete(
    "/topics/{topic_key}",
    response_model=TopicOut,
    tags=["topics"],
    operation_id="delete_topic",
    responses=error_responses(),
)
def delete_topic(
    request: Request, key: str, topic_key: str, session: SessionDep, caller: CallerDep
) -> TopicOut:
    """Retire a topic, as the taxonomy page does: no longer detected, its history kept (the
    feedback already labelled with it keeps its labels). ``PUT`` it with ``active: true`` to
    bring it back."""
    workspace, _ = open_workspace(session, caller, key, Role.ANALYST)
    topic = taxonomy.set_topic_active(session, workspace=workspace, key=topic_key, active=False)
    note_deletion(request, session, caller.principal, workspace, audit.Target("topic", topic_key),
                  via="api", retired=True)  # fmt: skip
    enqueue_enrichment(session, workspace)
    return _topic(topic)


@router.get(
    "/corrections",
    response_model=Page[CorrectionOut],
    tags=["corrections"],
    operation_id="list_corrections",
    responses=error_responses(),
)
def list_corrections(
    key: str,
    session: SessionDep,
    caller: CallerDep,
    limit: LimitQuery = DEFAULT_LIMIT,
    cursor: CursorQuery = None,
) -> Page[CorrectionOut]:
    """Label corrections, oldest first (a later one of the same text wins)."""
    workspace, _ = open_workspace(session, caller, key, Role.ANALYST)
    rows = [_correction(c) for c in corrections.list_corrections(session, workspace)]
    items, after = paginate(rows, limit=limit, cursor=cursor)
    return Page[CorrectionOut](items=items, next=after)


@router.post(
    "/corrections",
    response_model=CorrectionOut,
    status_code=201,
    tags=["corrections"],
    operation_id="create_correction",
    responses=error_responses(),
)
def create_correction(
    key: str, body: CorrectionIn, session: SessionDep, caller: CallerDep
) -> CorrectionOut:
    """Correct a feedback record's sentiment or topic; the workspace model is retrained and
    the feedback re-analysed in the background."""
    workspace, _ = open_workspace(session, caller, key, Role.ANALYST)
    correction = corrections.record_correction(
        session,
        workspace=workspace,
        feedback_id=body.feedback_id,
        correction=CorrectionInput(
            kind=body.kind, value=body.value, applies=body.applies, start=body.start, end=body.end
        ),
        user_id=caller.principal.user_id,
    )
    enqueue_enrichment(session, workspace)
    return _correction(correction)


def _input(topic_key: str, body: TopicIn) -> TopicInput:
    """The service's input from the body, generic over the fields (a field added to both
    ``TopicInput`` and ``TopicIn`` needs nothing here); lists become tuples."""
    values: dict[str, Any] = {
        k: tuple(v) if isinstance(v, list) else v
        for k, v in body.model_dump(exclude={"key", "active"}).items()
    }
    return TopicInput(key=topic_key, **values)


def _topic(topic: Topic, volume: int = 0) -> TopicOut:
    return TopicOut.model_validate(topic, from_attributes=True).model_copy(
        update={"volume": volume}
    )


def _correction(row: LabelCorrection) -> CorrectionOut:
    return CorrectionOut.model_validate(row, from_attributes=True)
