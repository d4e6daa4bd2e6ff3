"""The measured overlay of a journey, from a materialised index kept up to date.

A feedback item concerns a touchpoint when its ``touchpoint`` names the touchpoint's key or
when one of its text's findings has a topic mapped to it (``topics.touchpoint_keys``).
Finding that out joins feedback, text enrichments and findings on the text hash: about
10 µs an item on SQLite, far too slow to repeat for every page view over a million items.
So the membership is **materialised** (``db.overlay_index`` holds the SQL): per touchpoint
key the items with their measures and segment bits, their negative topics, and the sums
per touchpoint and combination of segment bits that a view reads (``db.overlay_queries``).

``refresh_overlay_index`` brings it up to date before a view (and an enrichment job calls
it as it finishes, so that the first view after the job does not wait). What it does
depends on what changed since the index was last brought up to date:

- nothing (a survey answer, another workspace's analyses): it only moves its marks;
- new feedback items (an import, survey comments), items updated in place (a re-import of
  the same source ids, masked contacts), texts analysed or analysed again (an enrichment
  job): those items only are **folded in**, their old rows replaced and the sums moved by
  the difference; a typical import of 10,000 items into a million costs seconds, not the
  whole rebuild;
- what every row depends on (the **fingerprint**: topic-to-touchpoint links, a topic
  switched on or off, segments and their rules, the text-model version of a taxonomy
  re-enrichment), feedback deleted (the count of items up to the last one folded dropped),
  or more than a quarter of the items changed: it is **rebuilt whole**.

The marks (``overlay_index_state``): the highest text enrichment and finding ids of all
workspaces looked at, the workspace's highest feedback id and latest ``updated_at`` folded,
how many items that covered, and its data revision. A fold gives the same rows as a rebuild
and the same sums to rounding (floating-point sums added in another order).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import case, delete, literal, select
from sqlalchemy.orm import Session

from cxgap.db import overlay_index as index
from cxgap.db import overlay_queries as queries
from cxgap.db.overlay_fold import fold
from cxgap.db.overlay_queries import Restriction
from cxgap.db.revisions import revision_of
from cxgap.db.tables import OverlayIndexState, Segment, Topic, Workspace, utcnow
from cxgap.errors import NotFoundError
from cxgap.journeys.model import Irritant, Journey, Measured, Text
from cxgap.journeys.overlay import TOP_IRRITANTS, lay_over, measure, top_irritants
from cxgap.services import journeys
from cxgap.services.segments import compile_rule, segment_filter, segment_rule

MASK_BITS = 62  # segments whose membership is materialised as bits of a BIGINT
SHARE = 4  # more than 1/SHARE of the items changed: rebuilding whole is cheaper than folding


def journey_with_overlay(
    session: Session,
    *,
    workspace: Workspace,
    key: str,
    persona: str | None = None,
) -> tuple[Journey, int]:
    """Journey ``key`` with its measured overlay, and its revision. ``persona`` restricts the
    feedback to that persona's segment (a persona without a segment means everyone)."""
    journey, revision = journeys.get_journey(session, workspace=workspace, key=key)
    segment = None
    if persona is not None:
        segment = journeys.get_persona(session, workspace=workspace, key=persona).segment
    measured = measure_journey(session, workspace=workspace, journey=journey, segment=segment)
    return lay_over(journey, measured), revision


def measure_journey(
    session: Session, *, workspace: Workspace, journey: Journey, segment: str | None = None
) -> dict[str, Measured]:
    """``Measured`` per touchpoint key of ``journey`` (touchpoints without feedback omitted).
    Brings the materialised index up to date first (needs a writable session)."""
    keys = [tp.key for tp in journey.touchpoints]
    if not keys:
        return {}
    refresh_overlay_index(session, workspace=workspace)
    names = {key: name for key, (name, _) in _topics(session, workspace).items()}
    who = _restriction(session, workspace, segment)
    tallies = queries.tallies(session, workspace.id, keys, who)
    irritants = _irritants(session, workspace.id, keys, who, names)
    return {key: measure(tally, irritants.get(key, [])) for key, tally in tallies.items()}


def _irritants(
    session: Session, workspace_id: int, keys: list[str], who: Restriction, names: dict[str, Text]
) -> dict[str, list[Irritant]]:
    """The top irritants per touchpoint key, each with its most negative verbatims."""
    counts = queries.irritant_counts(session, workspace_id, keys, who)
    chosen = {tp: top_irritants(found, TOP_IRRITANTS) for tp, found in counts.items()}
    wanted = [(tp, topic) for tp, found in chosen.items() for topic, _ in found]
    texts = queries.verbatims(session, workspace_id, who, wanted)
    return {
        tp: [
            Irritant(topic, names.get(topic, Text(topic, topic)), n, texts[(tp, topic)])
            for topic, n in found
        ]
        for tp, found in chosen.items()
    }


# --- keeping the index up to date -------------------------------------------------------------


def refresh_overlay_index(session: Session, *, workspace: Workspace, force: bool = False) -> bool:
    """Bring the workspace's overlay rows up to date (see the module's docstring: nothing,
    a fold of the changed items, or a whole rebuild); True when rows were written.
    ``force`` rebuilds whole."""
    ws = workspace.id
    topics = _topics(session, workspace)
    seen, revision = _now(session, ws)  # read first: whatever is stored later lies above
    fingerprint = _fingerprint(session, workspace, topics)
    state = session.get(OverlayIndexState, ws)
    if state is not None and not force and state.fingerprint == fingerprint:
        if _changed(session, ws, state, seen, revision):
            # One process at a time folds (PostgreSQL: this row lock; SQLite has one writer
            # anyway): the next waits here, then finds the marks moved and nothing to do.
            session.refresh(state, with_for_update=True)
            seen, revision = _now(session, ws)
        folded, wrote = _catch_up(session, workspace, topics, state, (seen, revision))
    else:
        folded, wrote = _rebuild(session, workspace, topics, seen), True
    if state is None:
        state = OverlayIndexState(workspace_id=ws)
        session.add(state)
    if wrote:
        state.built_at = utcnow()
    state.fingerprint, state.revision_seen, state.feedback_folded = fingerprint, revision, folded
    state.enrichments_seen, state.findings_seen = seen.enrichments, seen.findings
    state.feedback_seen, state.updated_seen = seen.feedback, seen.updated
    session.flush()
    return wrote


def _rebuild(
    session: Session,
    workspace: Workspace,
    topics: dict[str, tuple[Text, list[str]]],
    seen: index.Marks,
) -> int:
    """Rebuild whole; how many items the index then covers."""
    index.rebuild(session, workspace.id, _mask_expression(session, workspace), _pairs(topics))
    return index.count_feedback_upto(session, workspace.id, seen.feedback)


def _catch_up(
    session: Session,
    workspace: Workspace,
    topics: dict[str, tuple[Text, list[str]]],
    state: OverlayIndexState,
    now: tuple[index.Marks, int],
) -> tuple[int, bool]:
    """Fold in what changed since ``state`` (or rebuild, when that is cheaper or deletions
    make the sums unknown): (items covered, rows written)."""
    ws = workspace.id
    seen, revision = now
    if not _changed(session, ws, state, seen, revision):
        return state.feedback_folded, False
    kept = index.count_feedback_upto(session, ws, state.feedback_seen)
    if kept != state.feedback_folded:  # items deleted: what they added to the sums is lost
        return _rebuild(session, workspace, topics, seen), True
    changed = index.changed_items(
        session, ws, feedback=state.feedback_seen, updated=state.updated_seen,
        enrichments=state.enrichments_seen, findings=state.findings_seen,
    )  # fmt: skip
    covered = kept + sum(state.feedback_seen < i <= seen.feedback for i in changed)
    if len(changed) * SHARE > covered:
        return _rebuild(session, workspace, topics, seen), True
    if changed:
        mask = _mask_expression(session, workspace)
        fold(session, ws, mask, _pairs(topics), changed)
    return covered, bool(changed)


def _now(session: Session, ws: int) -> tuple[index.Marks, int]:
    """The marks as they are now, and the workspace's data revision."""
    revision = revision_of(session, ws)
    return index.marks(session, ws), revision


def _changed(
    session: Session, ws: int, state: OverlayIndexState, seen: index.Marks, revision: int
) -> bool:
    """Whether anything the index covers may have changed since ``state``."""
    moved = (
        revision != state.revision_seen
        or seen.feedback != state.feedback_seen
        or seen.updated != state.updated_seen
    )
    return moved or index.analysed_since(session, ws, state.enrichments_seen, state.findings_seen)


def invalidate_overlay_index(session: Session, *, workspace: Workspace) -> None:
    """Make the next overlay rebuild its rows whole (after rows were rewritten in place
    in a way the marks do not show)."""
    session.execute(delete(OverlayIndexState).where(OverlayIndexState.workspace_id == workspace.id))


def _fingerprint(
    session: Session, workspace: Workspace, topics: dict[str, tuple[Text, list[str]]]
) -> str:
    """What every row depends on, read from tiny tables and one index: the topic mapping
    (active topics and their touchpoints), the segments and their rules (the bits), and the
    text-model version of the latest enrichment (a taxonomy re-enrichment changes it)."""
    segments = [(row.key, row.rule) for row in _segments(session, workspace)]
    mapping = json.dumps([sorted((k, sorted(tps)) for k, (_, tps) in topics.items()), segments])
    digest = hashlib.sha256(mapping.encode()).hexdigest()[:16]
    model = hashlib.sha256(index.latest_model(session, workspace.id).encode()).hexdigest()[:16]
    return f"t{digest}|m{model}"


def _pairs(topics: dict[str, tuple[Text, list[str]]]) -> list[tuple[str, str]]:
    return index.touchpoint_pairs({topic: tps for topic, (_, tps) in topics.items()})


def _segments(session: Session, workspace: Workspace) -> list[Segment]:
    """The segments whose membership is materialised, in bit order."""
    query = select(Segment).where(Segment.workspace_id == workspace.id).order_by(Segment.id)
    return list(session.scalars(query.limit(MASK_BITS)))


def _mask_expression(session: Session, workspace: Workspace) -> Any:
    """Sum of 2**i over the segments (in bit order) the feedback row belongs to."""
    terms = [
        case(
            (compile_rule(segment_rule(session, workspace=workspace, key=row.key)), 1 << i), else_=0
        )
        for i, row in enumerate(_segments(session, workspace))
    ]
    return sum(terms[1:], terms[0]) if terms else literal(0)


def _restriction(session: Session, workspace: Workspace, segment: str | None) -> Restriction:
    if segment is None:
        return Restriction()
    for i, row in enumerate(_segments(session, workspace)):
        if row.key == segment:
            return Restriction(bit=1 << i)
    return Restriction(rule=segment_filter(session, workspace=workspace, segment=segment))


def _topics(session: Session, workspace: Workspace) -> dict[str, tuple[Text, list[str]]]:
    rows = session.execute(
        select(Topic.key, Topic.name_en, Topic.name_fr, Topic.touchpoint_keys).where(
            Topic.workspace_id == workspace.id, Topic.active.is_(True)
        )
    )
    return {r.key: (Text(r.name_en, r.name_fr), list(r.touchpoint_keys or [])) for r in rows}


def journey_pair(
    session: Session, *, workspace: Workspace, key: str, persona: str | None = None
) -> tuple[Journey, Journey]:
    """(current, target) around journey ``key``, each with its overlay: the target that is
    ``based_on`` it, or the current one it is based on. NotFoundError when there is none."""
    journey, _ = journeys.get_journey(session, workspace=workspace, key=key)
    rows = journeys.list_journeys(session, workspace=workspace)
    if journey.based_on is not None:
        current_key, target_key = journey.based_on, key
    else:
        targets = [row.key for row in rows if row.based_on == key]
        if not targets:
            raise NotFoundError(f"Journey {key!r} has no target version to compare with")
        current_key, target_key = key, targets[0]
    current, _ = journey_with_overlay(
        session, workspace=workspace, key=current_key, persona=persona
    )
    target, _ = journey_with_overlay(session, workspace=workspace, key=target_key, persona=persona)
    return current, target
