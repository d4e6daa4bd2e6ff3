"""The customer segments of stored cases, for the SLA policies that match on ``segment``.

A case is in a segment when one of its feedback items (the one that opened it and those
attached later) satisfies the segment's rule (a segment without a rule: the item's
``segment`` attribute names it, as everywhere in cxgap) — the reading the case's persona
uses too (``case_persona``). A case opened by hand without feedback is in no segment.

One query per segment of the workspace over the listed cases' items (in chunks), and none at
all when no policy of the workspace matches on ``segment``: the queue pays nothing for it
unless the analyst asked for it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap.db.segment_members import rule_of
from cxgap.db.segment_sql import compile_rule
from cxgap.db.tables import CaseFeedback, Feedback, Segment
from cxgap.sla.policy import PolicySet

CHUNK = 500


def asks_for_segments(policies: PolicySet) -> bool:
    """Whether a policy of ``policies`` has a ``segment`` condition."""
    return any("segment" in policy.match for policy in policies.policies)


def segments_of_cases(
    session: Session, workspace_id: int, case_ids: Sequence[int]
) -> dict[int, tuple[str, ...]]:
    """Each case's segment keys (in the workspace's order of segments), by case id; a case in
    no segment is left out."""
    segments = session.scalars(
        select(Segment)
        .where(Segment.workspace_id == workspace_id)
        .order_by(Segment.position, Segment.id)
    ).all()
    found: dict[int, list[str]] = defaultdict(list)
    for start in range(0, len(case_ids) if segments else 0, CHUNK):
        chunk = list(case_ids[start : start + CHUNK])
        for segment in segments:
            members = session.scalars(
                select(CaseFeedback.case_id)
                .join(Feedback, Feedback.id == CaseFeedback.feedback_id)
                .where(
                    CaseFeedback.case_id.in_(chunk),
                    Feedback.workspace_id == workspace_id,
                    compile_rule(rule_of(segment)),
                )
                .distinct()
            )
            for case_id in members:
                found[case_id].append(segment.key)
    return {case_id: tuple(keys) for case_id, keys in found.items()}
