"""Who a segment or a persona is, as customer references (issue 14: paths and retention).

The one shared segment definition (``services.segments.segment_filter``) says which feedback
items and survey answers belong to a segment; a customer belongs to it when one of their
items or answers does (their ``customer_ref``). A persona stands for its segment
(``personas.segment_key``); a persona without a segment has no customers to filter on.
"""

from __future__ import annotations

from sqlalchemy import select, union
from sqlalchemy.orm import Session

from cxgap.db.tables import CustomerResponse, Feedback, PersonaRow, Workspace
from cxgap.errors import NotFoundError
from cxgap.services.segments import segment_filter


def segment_customers(session: Session, *, workspace: Workspace, segment: str) -> frozenset[str]:
    """The references of the customers in ``segment`` (a NotFoundError for an unknown key)."""
    said = select(Feedback.customer_ref).where(
        Feedback.workspace_id == workspace.id,
        Feedback.customer_ref.is_not(None),
        segment_filter(session, workspace=workspace, segment=segment),
    )
    answered = select(CustomerResponse.customer_ref).where(
        CustomerResponse.workspace_id == workspace.id,
        CustomerResponse.customer_ref.is_not(None),
        segment_filter(session, workspace=workspace, segment=segment, target="answers"),
    )
    return frozenset(str(ref) for ref in session.scalars(union(said, answered)))


def persona_segment(session: Session, *, workspace: Workspace, persona: str) -> str | None:
    """The segment key a persona stands for (None: it has none); NotFoundError if unknown."""
    row = session.scalar(
        select(PersonaRow).where(PersonaRow.workspace_id == workspace.id, PersonaRow.key == persona)
    )
    if row is None:
        raise NotFoundError(f"No persona {persona!r} in workspace {workspace.key!r}")
    return row.segment_key
