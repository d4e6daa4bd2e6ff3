"""Topic suggestions for the touchpoints of the journey being edited.

The editor posts its document as it stands (maybe unsaved: a new touchpoint, a changed
channel) and gets, per touchpoint, the topics its verbatims talk about with the evidence in
words; accepting one adds it to the touchpoint's ``topics``, saved with the journey.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Request

from cxgap.journeys.document import document_topics, parse_journey_document
from cxgap.services import topic_links
from cxgap.services.accounts import Role
from cxgap.services.topic_suggestions import suggestions_document
from cxgap.web.deps import SessionDep, UserDep, open_workspace
from cxgap.web.render import locale_of
from cxgap.web.security import check_csrf

router = APIRouter()


@router.post("/w/{key}/journeys/{journey_key}/topic-suggestions")
def topic_suggestions(
    request: Request,
    key: str,
    journey_key: str,
    session: SessionDep,
    user: UserDep,
    document: Annotated[Any, Body()],
) -> dict[str, Any]:
    """Suggested topics per touchpoint key of the posted document (422 when it is invalid)."""
    check_csrf(request, None)
    workspace, _ = open_workspace(session, user, key, Role.ANALYST)
    journey = parse_journey_document(document)
    linked: dict[str, Any] = topic_links.journey_topics(
        session, workspace=workspace, journey=journey
    )
    linked.update(document_topics(document))
    found = suggestions_document(
        session, workspace=workspace, journey=journey, linked=linked, locale=locale_of(request)
    )
    return {"journey": journey_key, "touchpoints": found}
