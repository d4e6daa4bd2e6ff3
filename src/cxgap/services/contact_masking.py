"""Contact details masked where verbatims are stored, as the installation's settings say
(``CXGAP_MASK_CONTACTS``, on unless set to 0), and in the verbatims stored before."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from cxgap.db import listening_counts
from cxgap.db.tables import (
    CustomerResponse,
    Feedback,
    InternalCampaign,
    InternalResponse,
    Workspace,
    utcnow,
)
from cxgap.text.contacts import mask_contacts

# The key of ``Session.info`` that Cxgap's session factory sets from the settings.
MASK_CONTACTS = "cxgap_mask_contacts"


def masks_contacts(session: Session) -> bool:
    """True unless the installation turned masking off (a session made outside Cxgap masks)."""
    return bool(session.info.get(MASK_CONTACTS, True))


def stored_text(session: Session, text: str) -> str:
    """The verbatim as it may be stored: contact details masked unless turned off."""
    return mask_contacts(text) if text and masks_contacts(session) else text


def stored_optional_text(session: Session, text: str | None) -> str | None:
    return None if text is None else stored_text(session, text)


@dataclass(frozen=True)
class MaskCounts:
    feedback: int = 0
    customer_comments: int = 0
    internal_comments: int = 0

    @property
    def total(self) -> int:
        return self.feedback + self.customer_comments + self.internal_comments


def mask_stored_contacts(session: Session, *, workspace: Workspace | None = None) -> MaskCounts:
    """Mask the contact details of the verbatims stored before masking was on (or while it
    was off): feedback texts, customer and staff comments. Returns how many changed; running
    it again changes nothing."""
    return MaskCounts(
        feedback=_mask_feedback(session, workspace),
        customer_comments=_mask_customer_comments(session, workspace),
        internal_comments=_mask_internal_comments(session, workspace),
    )


def _mask_feedback(session: Session, workspace: Workspace | None) -> int:
    query = select(Feedback.id, Feedback.workspace_id, Feedback.text).execution_options(
        yield_per=2000
    )
    if workspace is not None:
        query = query.where(Feedback.workspace_id == workspace.id)
    changed = [
        (i, w, m)
        for i, w, text in session.execute(query).all()
        if (m := mask_contacts(text)) != text
    ]
    for feedback_id, workspace_id, masked in changed:
        # A new text has a new hash, so another enrichment (or none): the Listening counts
        # move with it (db.listening_counts).
        with listening_counts.changing(session, workspace_id, Feedback.id == feedback_id):
            session.execute(
                update(Feedback)
                .where(Feedback.id == feedback_id)
                # updated_at: what changed since is found again (the overlay index folds it in)
                .values(
                    text=masked,
                    text_hash=hashlib.sha256(masked.encode()).hexdigest(),
                    updated_at=utcnow(),
                )
            )
    return len(changed)


def _mask_customer_comments(session: Session, workspace: Workspace | None) -> int:
    query = select(CustomerResponse.id, CustomerResponse.comment)
    if workspace is not None:
        query = query.where(CustomerResponse.workspace_id == workspace.id)
    changed = 0
    for response_id, comment in session.execute(query).all():
        masked = mask_contacts(comment or "")
        if comment and masked != comment:
            session.execute(
                update(CustomerResponse)
                .where(CustomerResponse.id == response_id)
                .values(comment=masked)
            )
            changed += 1
    return changed


def _mask_internal_comments(session: Session, workspace: Workspace | None) -> int:
    query = select(InternalResponse.id, InternalResponse.comment)
    if workspace is not None:
        query = query.join(InternalCampaign).where(InternalCampaign.workspace_id == workspace.id)
    changed = 0
    for response_id, comment in session.execute(query).all():
        masked = mask_contacts(comment or "")
        if comment and masked != comment:
            session.execute(
                update(InternalResponse)
                .where(InternalResponse.id == response_id)
                .values(comment=masked)
            )
            changed += 1
    return changed
