"""The persona of a case, and the tone profile its replies take (docs/replies.md).

A case finds its persona through its customer's **segment**: the feedback items attached to
the case (the one that opened it, and the later matches) are tested against the rule of
every segment that a persona stands for (a segment without a rule: the item's ``segment``
attribute names it, as everywhere in cxgap). The first such segment in the workspace's order
gives the persona (the first by key when several personas stand for it). A case opened by
hand without feedback, or whose customer is in no persona's segment, has no persona: its
replies take the default profile, *vous* and standard length.

Only the case's own feedback is read (a handful of rows, rules evaluated in one query), never
the whole segment, and nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap.db.segment_members import rule_of
from cxgap.db.segment_sql import compile_rule
from cxgap.db.tables import CaseFeedback, CaseRow, Feedback, PersonaRow, Segment
from cxgap.journeys.model import Persona
from cxgap.services.journeys import _persona
from cxgap.tone.model import ADDRESSES, LENGTH_PREFERENCES, ToneProfile


@dataclass(frozen=True)
class CasePersona:
    """Who the case's customer is taken for, and how replies to them should sound."""

    persona: Persona | None
    segment: str | None  # the segment key through which the persona was found
    profile: ToneProfile


def tone_profile(persona: Persona | None) -> ToneProfile:
    """The reply profile of ``persona``; the default (*vous*, standard) without one, or for
    a stored value the tone library does not know.

    >>> tone_profile(Persona("lea", "Léa", address="tu", reply_length="short"))
    ToneProfile(address='tu', length='short')
    >>> tone_profile(None)
    ToneProfile(address='vous', length='standard')
    """
    if persona is None:
        return ToneProfile()
    address = persona.address if persona.address in ADDRESSES else "vous"
    length = persona.reply_length if persona.reply_length in LENGTH_PREFERENCES else "standard"
    return ToneProfile(address, length)


def case_persona(session: Session, case: CaseRow) -> CasePersona:
    """The persona of ``case`` (module docstring) and its profile."""
    candidates = session.execute(
        select(Segment, PersonaRow)
        .join(
            PersonaRow,
            (PersonaRow.workspace_id == Segment.workspace_id)
            & (PersonaRow.segment_key == Segment.key),
        )
        .where(Segment.workspace_id == case.workspace_id)
        .order_by(Segment.position, Segment.id, PersonaRow.key)
    ).all()
    if not candidates:
        return CasePersona(None, None, ToneProfile())
    attached = select(CaseFeedback.feedback_id).where(CaseFeedback.case_id == case.id)
    tried: set[int] = set()
    for segment, row in candidates:
        if segment.id in tried:
            continue
        tried.add(segment.id)
        member = session.scalar(
            select(Feedback.id)
            .where(
                Feedback.workspace_id == case.workspace_id,
                Feedback.id.in_(attached),
                compile_rule(rule_of(segment)),
            )
            .limit(1)
        )
        if member is not None:
            persona = _persona(row)
            return CasePersona(persona, segment.key, tone_profile(persona))
    return CasePersona(None, None, ToneProfile())
