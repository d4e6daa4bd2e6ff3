"""What the retention and value pages read besides the events: each customer's segment and
persona, and what tells whether the cached figures are still those of the stored data.

A customer (an event case, the ``customer_ref`` of their survey answers and feedback) is in a
segment when one of their survey answers or feedback items satisfies the segment's rule (a
segment without a rule: the answer's ``segment_key`` or the item's ``segment`` attribute
names it), the one shared definition of every screen (``services.segments``). A customer in
several segments counts in the first in the workspace's order. Their persona is the persona
that stands for that segment (the first by key when several do); a customer whose segment no
persona stands for has none.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cxgap.db.event_tables import ActivityMapping, EventImport, EventRow
from cxgap.db.segment_members import rule_of
from cxgap.db.segment_sql import compile_rule
from cxgap.db.tables import CustomerResponse, Feedback, PersonaRow, TextEnrichment, Workspace
from cxgap.i18n import translate
from cxgap.services.workspaces import segments_of


def customer_segments(session: Session, workspace: Workspace) -> dict[str, str]:
    """``{customer_ref: segment key}``, each customer in the first segment they are in."""
    found: dict[str, str] = {}
    for segment in segments_of(session, workspace):
        rule = rule_of(segment)
        answers = select(CustomerResponse.customer_ref).where(
            CustomerResponse.workspace_id == workspace.id,
            CustomerResponse.customer_ref.is_not(None),
            compile_rule(rule, target="answers"),
        )
        items = select(Feedback.customer_ref).where(
            Feedback.workspace_id == workspace.id,
            Feedback.customer_ref.is_not(None),
            compile_rule(rule),
        )
        for ref in session.scalars(answers.union(items)):
            found.setdefault(str(ref), segment.key)
    return found


def persona_of_segment(session: Session, workspace: Workspace) -> dict[str, str]:
    """``{segment key: persona key}``: the persona standing for each segment."""
    rows = session.execute(
        select(PersonaRow.segment_key, PersonaRow.key)
        .where(PersonaRow.workspace_id == workspace.id, PersonaRow.segment_key.is_not(None))
        .order_by(PersonaRow.key)
    )
    chosen: dict[str, str] = {}
    for segment, persona in rows:
        chosen.setdefault(str(segment), str(persona))
    return chosen


def customer_personas(segments: dict[str, str], personas: dict[str, str]) -> dict[str, str]:
    """``{customer_ref: persona key}`` from the customers' segments."""
    return {ref: personas[seg] for ref, seg in segments.items() if seg in personas}


def events_fingerprint(session: Session, workspace_id: int) -> str:
    """What changes whenever the workspace's events, imports, activity mapping or personas
    do, or the text models' readings of the feedback (the data revision covers answers,
    feedback and segments): stored with the cached
    figures, a different one makes them stale."""
    events = session.execute(
        select(func.count(), func.max(EventRow.id)).where(EventRow.workspace_id == workspace_id)
    ).one()
    imports = session.execute(
        select(func.count(), func.max(EventImport.id), func.max(EventImport.created_at)).where(
            EventImport.workspace_id == workspace_id
        )
    ).one()
    mapping = session.execute(
        select(func.count(), func.max(ActivityMapping.updated_at)).where(
            ActivityMapping.workspace_id == workspace_id
        )
    ).one()
    texts = session.execute(
        select(func.count(), func.max(TextEnrichment.id)).where(
            TextEnrichment.workspace_id == workspace_id
        )
    ).one()
    personas = session.execute(
        select(PersonaRow.id, PersonaRow.key, PersonaRow.segment_key)
        .where(PersonaRow.workspace_id == workspace_id)
        .order_by(PersonaRow.key)
    ).all()
    text = repr(
        (tuple(events), tuple(imports), tuple(mapping), tuple(texts), [tuple(p) for p in personas])
    )
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def survey_scores(
    session: Session, workspace_id: int, excluded: frozenset[int] = frozenset()
) -> Iterator[tuple[str, datetime, int]]:
    """``(customer_ref, submitted_at, nps)`` of the workspace's survey answers that have both,
    but those ``excluded`` (flagged answers the workspace leaves out); the feedback's own
    scores come from ``db.customer_voice``."""
    rows = session.execute(
        select(
            CustomerResponse.id,
            CustomerResponse.customer_ref,
            CustomerResponse.submitted_at,
            CustomerResponse.nps,
        )
        .where(
            CustomerResponse.workspace_id == workspace_id,
            CustomerResponse.customer_ref.is_not(None),
            CustomerResponse.nps.is_not(None),
        )
        .execution_options(yield_per=5_000)
    )
    for row_id, ref, at, nps in rows:
        if ref is not None and nps is not None and row_id not in excluded:
            yield str(ref), at, int(nps)


def group_names(session: Session, workspace: Workspace, locale: str) -> dict[str, dict[str, str]]:
    """``{grouping: {group key: name}}`` for segments and personas (paths are their own
    names; ``other`` is said in the reader's language)."""
    segments = {
        s.key: (s.name_fr if locale == "fr" else s.name_en) or s.key
        for s in segments_of(session, workspace)
    }
    personas = {
        str(key): str(name)
        for key, name in session.execute(
            select(PersonaRow.key, PersonaRow.name).where(PersonaRow.workspace_id == workspace.id)
        )
    }
    other = translate("retention_pages.group.other", locale)
    return {"segment": segments, "persona": personas, "path": {"other": other}}
