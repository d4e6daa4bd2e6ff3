"""Segment membership materialised: who belongs to each segment, kept when the data changes.

Counting or filtering by a segment used to evaluate its rule on every feedback row of the
workspace (13 s for the segments page at a million items on SQLite). Here the rule is
evaluated once per row when the row or the rule changes, into ``segment_members``, and a
page counts or filters by the indexed ``(segment_id, feedback_id)`` key.

Who keeps it up to date, each in the transaction of the change (so a reader never sees the
rows without their membership, and two concurrent writers never miss each other):

- a segment created, or its rule changed: ``rebuild`` (one DELETE and one INSERT … SELECT;
  for a rule saved from a screen or a command, in the ``segment_rule`` job's transaction,
  ``jobs.segment_rules``);
- a feedback import: ``refresh_import`` on the rows of that import (new and updated alike);
- survey comments turned into feedback: ``refresh_ids`` on those rows;
- a deleted item, segment or workspace: the foreign keys cascade.

Each of them also moves the Listening counts per segment (``db.listening_segments``) by the
members it inserts or deletes, in the same transaction.

The safety net, ``catch_up``, runs on every read: a segment with no membership yet, or built
for another rule, is rebuilt; feedback rows past the highest id the membership covers
(``feedback_upto``: written by a path that does not call ``refresh_ids``) are evaluated.
An in-place update by such a path is not seen: every writer of the columns a rule reads
calls ``refresh_import`` or ``refresh_ids``.

On PostgreSQL writers lock the segment's ``segment_membership`` row (``FOR UPDATE``), so
a rule change and an import serialise; SQLite has one writer at a time anyway.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    bindparam,
    case,
    delete,
    exists,
    func,
    insert,
    literal,
    select,
    union_all,
    update,
)
from sqlalchemy.orm import Session

from cxgap.analytics.segment_rules import Comparison, Rule, parse_rule
from cxgap.db import listening_segments, member_rows
from cxgap.db.listening_count_parts import table_of
from cxgap.db.segment_sql import compile_rule
from cxgap.db.tables import Feedback, Segment, SegmentMember, SegmentMembership, utcnow

StepCallback = Callable[[str], None]
"""Told the name of each step of a rebuild as it starts ("members", then "counts")."""


def rule_of(segment: Segment) -> Rule:
    """The segment's rule, or ``segment = "<key>"`` when it has none."""
    return parse_rule(segment.rule) if segment.rule else default_rule(segment.key)


def default_rule(key: str) -> Rule:
    """``segment = "<key>"``: the rule of a segment that has none."""
    return Rule(text=f'segment = "{key}"', node=Comparison("segment", "=", (key,)))


def member_condition(segment_id: int) -> ColumnElement[bool]:
    """The SQL condition "this ``Feedback`` row is a member of segment ``segment_id``" (a
    primary-key lookup per row)."""
    return exists().where(
        SegmentMember.segment_id == segment_id, SegmentMember.feedback_id == Feedback.id
    )


def member_counts(session: Session, segment_ids: Iterable[int]) -> dict[int, int]:
    """How many feedback items each segment has (0 for none): the count stored with its
    membership (kept by triggers on ``segment_members``, migration 0026), not a count of
    its members, which at 10 M items read millions of index entries per view."""
    ids = list(segment_ids)
    counts = dict.fromkeys(ids, 0)
    if ids:
        session.flush()
        query = select(SegmentMembership.segment_id, SegmentMembership.member_count).where(
            SegmentMembership.segment_id.in_(ids)
        )
        counts.update({segment_id: int(n) for segment_id, n in session.execute(query)})
    return counts


def catch_up(session: Session, segments: Iterable[Segment]) -> None:
    """Make the members of ``segments`` match their rules now (see the module docstring):
    nothing is written when they already do."""
    segments = list(segments)
    if not segments:
        return
    states = _states(session, [s.id for s in segments], lock=False)
    newest = _newest_id(session, segments[0].workspace_id)
    for segment in segments:
        state = states.get(segment.id)
        rule = rule_of(segment)
        if state is None or state.rule != rule.text:
            rebuild(session, segment)
        elif newest > state.feedback_upto:
            _extend(session, segment, rule, newest)


def lock_state(session: Session, segment_id: int) -> SegmentMembership | None:
    """What the segment's members were built for (None: never built), locked until the
    transaction ends (``FOR UPDATE`` on PostgreSQL): imports and rule changes serialise."""
    session.flush()
    return _states(session, [segment_id], lock=True).get(segment_id)


def rebuild(
    session: Session,
    segment: Segment,
    *,
    counts: bool = True,
    on_step: StepCallback | None = None,
    rule: Rule | None = None,
) -> None:
    """Recompute segment ``segment`` from its rule over every feedback row of its
    workspace (a new segment, or its rule changed). ``counts=False``: its Listening counts
    are left out (deleted, not built), for a bulk load that builds every table's counts
    afterwards in one pass (``listening_counts.rebuild_all``). ``on_step``: told as each
    step starts (a job's progress). ``rule``: build for this rule rather than the
    segment's (a rule change stores the rule on the segment's row after, so that the row is
    locked for an instant rather than the whole rebuild)."""
    session.flush()
    if on_step is not None:
        on_step("members")
    state = _states(session, [segment.id], lock=True).get(segment.id)
    rule = rule or rule_of(segment)
    newest = _newest_id(session, segment.workspace_id)
    if state is None:  # written first: the triggers count the members into it
        state = SegmentMembership(
            segment_id=segment.id, workspace_id=segment.workspace_id, rule=rule.text
        )
        session.add(state)
        session.flush()
    listening_segments.forget(session, segment.id)
    session.execute(delete(SegmentMember).where(SegmentMember.segment_id == segment.id))
    _insert(session, segment, rule, Feedback.id <= newest)
    if counts:
        if on_step is not None:
            on_step("counts")
        listening_segments.joined(session, segment.workspace_id, segment.id, None)
    _record(session, segment, state, rule, newest)


def rebuild_every(session: Session, workspace_id: int) -> None:
    """Every segment of the workspace recomputed from its rule in one read of its feedback
    (a bulk load): one ``INSERT … SELECT`` joins each row to the segments' ids and tests
    the rule of each id once (a ``CASE``), where ``rebuild`` reads every row once per
    segment. Their Listening counts are deleted, not built: the caller rebuilds the
    workspace's counts (``listening_counts.rebuild`` or ``rebuild_all``) in one pass."""
    session.flush()
    segments = session.scalars(
        select(Segment).where(Segment.workspace_id == workspace_id).order_by(Segment.id)
    ).all()
    if not segments:
        return
    states = _states(session, [s.id for s in segments], lock=True)
    newest = _newest_id(session, workspace_id)
    for segment in segments:
        if segment.id not in states:  # written first: the triggers count members into it
            states[segment.id] = SegmentMembership(
                segment_id=segment.id, workspace_id=workspace_id, rule=rule_of(segment).text
            )
            session.add(states[segment.id])
        listening_segments.forget(session, segment.id)
    session.flush()
    ids = [s.id for s in segments]
    session.execute(delete(SegmentMember).where(SegmentMember.segment_id.in_(ids)))
    each = union_all(*(select(literal(i, Integer).label("segment_id")) for i in ids))
    segment_id = each.subquery("segment_ids").c.segment_id
    rules = case(*((segment_id == s.id, compile_rule(rule_of(s))) for s in segments))
    members = (
        select(segment_id, Feedback.id)
        .select_from(Feedback.__table__.join(segment_id.table, rules))
        .where(Feedback.workspace_id == workspace_id, Feedback.id <= newest)
    )
    session.execute(insert(SegmentMember).from_select(["segment_id", "feedback_id"], members))
    for segment in segments:
        _record(session, segment, states[segment.id], rule_of(segment), newest)


def refresh_import(session: Session, workspace_id: int, import_id: int) -> None:
    """Re-evaluate every segment of the workspace on the rows import ``import_id`` wrote
    (new and updated alike), in the import's transaction. A workspace without segments
    fetches none of the rows' ids (200,000 ids were 0.6 s of a large import's Python)."""
    session.flush()
    has_segments = select(Segment.id).where(Segment.workspace_id == workspace_id).limit(1)
    if session.scalar(has_segments) is None:
        return
    # The import's own index only: with the workspace too, SQLite may scan the workspace.
    ids = session.scalars(select(Feedback.id).where(Feedback.import_id == import_id)).all()
    refresh_ids(session, workspace_id, list(ids))


def refresh_ids(session: Session, workspace_id: int, ids: list[int]) -> None:
    """Re-evaluate every segment of the workspace on the feedback rows ``ids`` (just
    written or updated), and on any row past the covered id, by primary-key lookups."""
    session.flush()
    segments = session.scalars(
        select(Segment).where(Segment.workspace_id == workspace_id).order_by(Segment.id)
    ).all()
    if not segments:
        return
    states = _states(session, [s.id for s in segments], lock=True)
    newest = _newest_id(session, workspace_id)
    ids = sorted(ids)
    for segment in segments:
        state = states.get(segment.id)
        rule = rule_of(segment)
        if state is None or state.rule != rule.text:
            rebuild(session, segment)
            continue
        # Rows past the mark are no member yet (every writer moves the mark past what it
        # evaluates): _extend evaluates them once, with any row nobody evaluated.
        for chunk in _chunks([i for i in ids if i <= state.feedback_upto]):
            rows = member_rows.IdList(chunk)
            listening_segments.leaving(session, workspace_id, segment.id, rows)
            params = {member_rows.SEGMENT: segment.id, **member_rows.values(rows)}
            session.execute(_BUILT.get(("delete",), _delete_ids), params)
            _insert_rows(session, segment, rule, rows)
            listening_segments.joined(session, workspace_id, segment.id, rows)
        _extend(session, segment, rule, newest)


def _chunks(ids: list[int], size: int = 5_000) -> list[tuple[int, ...]]:
    return [tuple(ids[i : i + size]) for i in range(0, len(ids), size)]


def _extend(session: Session, segment: Segment, rule: Rule, newest: int) -> None:
    """Evaluate the rows past the covered id up to ``newest``, skipping any member a writer
    already added, and move the mark to ``newest``."""
    state = _states(session, [segment.id], lock=True)[segment.id]
    if state.rule != rule.text:  # changed while we waited for the lock
        rebuild(session, segment)
        return
    if newest > state.feedback_upto:
        past = member_rows.IdRange(state.feedback_upto, newest)
        # The counts move by the members past the mark after less before (a writer may
        # have added some): exactly the ones inserted here.
        listening_segments.leaving(session, segment.workspace_id, segment.id, past)
        _insert_rows(session, segment, rule, past, new_only=True)
        listening_segments.joined(session, segment.workspace_id, segment.id, past)
        state.feedback_upto = newest
    session.flush()


def _insert(session: Session, segment: Segment, rule: Rule, rows: ColumnElement[bool]) -> None:
    members = select(literal(segment.id, Integer), Feedback.id).where(
        Feedback.workspace_id == segment.workspace_id, rows, compile_rule(rule)
    )
    session.execute(insert(SegmentMember).from_select(["segment_id", "feedback_id"], members))


# The statements of a membership's upkeep, built once per rule and shape of rows
# (db.member_rows): the segment, the workspace and the rows are their parameters.
_BUILT: member_rows.Built[tuple[Any, ...], Any] = member_rows.Built(256)


# Core statements (the table's, not the mapped class'): the ORM would read a dict of
# parameters as rows to insert or delete by primary key.
def _delete_ids() -> Any:
    return delete(table_of(SegmentMember)).where(
        SegmentMember.segment_id == member_rows.segment(), member_rows.member_ids_condition()
    )


def _insert_rows(
    session: Session,
    segment: Segment,
    rule: Rule,
    rows: member_rows.Rows,
    *,
    new_only: bool = False,
) -> None:
    """``_insert`` of ``rows`` (``new_only``: those not members yet) through a statement
    built once per rule and shape."""
    shape = member_rows.shape(rows)

    def build() -> Any:
        condition = member_rows.condition(shape)
        if new_only:
            condition = condition & ~exists().where(
                SegmentMember.segment_id == member_rows.segment(),
                SegmentMember.feedback_id == Feedback.id,
            )
        workspace = bindparam(member_rows.WORKSPACE, type_=Integer)
        members = select(member_rows.segment(), Feedback.id).where(
            Feedback.workspace_id == workspace, condition, compile_rule(rule)
        )
        table = table_of(SegmentMember)
        return insert(table).from_select(["segment_id", "feedback_id"], members)

    statement = _BUILT.get(("insert", rule.text, rule.node, shape, new_only), build)
    params = {member_rows.SEGMENT: segment.id, member_rows.WORKSPACE: segment.workspace_id}
    session.execute(statement, {**params, **member_rows.values(rows)})


def _record(
    session: Session, segment: Segment, state: SegmentMembership | None, rule: Rule, newest: int
) -> None:
    if state is None:
        state = SegmentMembership(segment_id=segment.id, workspace_id=segment.workspace_id)
        session.add(state)
    state.rule, state.feedback_upto, state.built_at = rule.text, newest, utcnow()
    session.flush()


def recount(session: Session, workspace_id: int) -> None:
    """Set the stored member counts of the workspace's segments from their members: for a
    bulk load that ran with triggers off (the triggers keep them otherwise)."""
    members = (
        select(func.count())
        .where(SegmentMember.segment_id == SegmentMembership.segment_id)
        .scalar_subquery()
    )
    session.execute(
        update(SegmentMembership)
        .where(SegmentMembership.workspace_id == workspace_id)
        .values(member_count=members)
    )


def _states(session: Session, ids: list[int], *, lock: bool) -> dict[int, SegmentMembership]:
    query = select(SegmentMembership).where(SegmentMembership.segment_id.in_(ids))
    if lock:  # FOR UPDATE on PostgreSQL (the newest committed version); nothing on SQLite
        query = query.with_for_update().execution_options(populate_existing=True)
    return {state.segment_id: state for state in session.scalars(query)}


def _newest_id(session: Session, workspace_id: int) -> int:
    newest = session.scalar(
        select(func.max(Feedback.id)).where(Feedback.workspace_id == workspace_id)
    )
    return int(newest or 0)
