"""Materialised segment membership (db.segment_members) equals the segment's rule evaluated
on every row, after each change that can alter it: a segment created, edited or deleted, an
import (new rows and updated ones), a deleted item or workspace, rows written behind its
back, and two imports at once. The table is read as stored, without the catch-up of a
page, so each test shows that the change itself kept it right."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from cxgap.db import segment_members
from cxgap.db.segment_sql import compile_rule
from cxgap.db.tables import Feedback, Segment, SegmentMember, SegmentMembership, Workspace
from cxgap.ingest.presets import GENERIC
from cxgap.schema import parse_customer_answer
from cxgap.services.answers import store_customer_answers
from cxgap.services.core import Cxgap
from cxgap.services.feedback_imports import run_feedback_import
from cxgap.services.segments import (
    create_segment,
    delete_segment,
    segment_summaries,
    update_segment,
)
from cxgap.services.workspaces import get_workspace
from tests.enrichment_factory import add_feedback
from tests.factories import PILLAR_KEYS, customer_form, make_workspace

HEADER = "source_id,source_type,channel,collected_at,text,nps,customer_ref,language,segment\n"
RULE = 'segment = "pro" or (nps <= 3 and channel = "web")'


def _csv(path: Path, rows: range, *, prefix: str = "G", segment: str = "home") -> Path:
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        for i in rows:
            kind = "pro" if i % 3 == 0 else segment
            channel = "web" if i % 2 else "store"
            out.write(f"{prefix}-{i},review,{channel},2024-03-11T10:30:00+01:00,")
            out.write(f"Delivery number {i} came late,{i % 11},C-{i},en,{kind}\n")
    return path


def _stored(session: Session, segment: Segment) -> set[int]:
    query = select(SegmentMember.feedback_id).where(SegmentMember.segment_id == segment.id)
    return set(session.scalars(query))


def _by_rule(session: Session, segment: Segment) -> set[int]:
    rule = compile_rule(segment_members.rule_of(segment))
    query = select(Feedback.id).where(Feedback.workspace_id == segment.workspace_id, rule)
    return set(session.scalars(query))


def _check(cx: Cxgap, workspace_key: str = "acme") -> dict[str, int]:
    """Every segment's stored members equal its rule's rows, and its stored count (what the
    Segments page shows, kept by triggers) equals its members; their counts by key."""
    with cx.reading() as session:
        workspace = get_workspace(session, workspace_key)
        segments = session.scalars(select(Segment).where(Segment.workspace_id == workspace.id))
        counts = {}
        for segment in segments:
            assert _stored(session, segment) == _by_rule(session, segment), segment.key
            counts[segment.key] = len(_stored(session, segment))
            stored = session.scalar(
                select(SegmentMembership.member_count).where(
                    SegmentMembership.segment_id == segment.id
                )
            )
            assert stored == counts[segment.key], (segment.key, stored)
        return counts


def _import(cx: Cxgap, source: Path) -> None:
    spec = replace(GENERIC, keep=("segment",))  # the column rules read, kept as an attribute
    outcome = run_feedback_import(
        cx, workspace_key="acme", source=source, name=source.name, spec=spec
    )
    assert outcome.refusal is None, outcome.report.problems


def _acme(cx: Cxgap, tmp_path: Path) -> None:
    with cx.transaction() as session:
        make_workspace(session)
    _import(cx, _csv(tmp_path / "first.csv", range(1, 31)))


def test_create_edit_and_delete_keep_the_members(cx: Cxgap, tmp_path: Path) -> None:
    _acme(cx, tmp_path)
    with cx.transaction() as session:
        workspace = get_workspace(session, "acme")
        create_segment(
            session, workspace=workspace, key="unhappy", name_en="U", name_fr="U", rule=RULE
        )
    counts = _check(cx)
    assert counts["unhappy"] > counts["pro"] > 0  # pro: every third row; unhappy: more
    with cx.transaction() as session:
        workspace = get_workspace(session, "acme")
        update_segment(
            session, workspace=workspace, key="unhappy", name_en="U", name_fr="U", rule="nps >= 9"
        )
    assert _check(cx)["unhappy"] == len([i for i in range(1, 31) if i % 11 >= 9])
    with cx.transaction() as session:
        workspace = get_workspace(session, "acme")
        segment_id = session.scalar(select(Segment.id).where(Segment.key == "unhappy"))
        delete_segment(session, workspace=workspace, key="unhappy")
    with cx.reading() as session:
        member = select(SegmentMember).where(SegmentMember.segment_id == segment_id)
        state = select(SegmentMembership).where(SegmentMembership.segment_id == segment_id)
        assert session.scalars(member).first() is None
        assert session.scalars(state).first() is None


def test_an_import_evaluates_its_new_and_updated_rows(cx: Cxgap, tmp_path: Path) -> None:
    _acme(cx, tmp_path)
    with cx.transaction() as session:
        create_segment(
            session,
            workspace=get_workspace(session, "acme"),
            key="unhappy",
            name_en="U",
            name_fr="U",
            rule=RULE,
        )
    before = _check(cx)
    # Rows 21-30 again (now all "pro") and 31-40 new: updated rows change segment.
    _import(cx, _csv(tmp_path / "second.csv", range(21, 41), segment="pro"))
    after = _check(cx)
    moved = len([i for i in range(21, 31) if i % 3])  # were "home", now "pro"
    assert after["pro"] == before["pro"] + 10 + moved
    assert after["home"] == before["home"] - moved


def test_deleted_items_and_workspaces_leave_their_segments(cx: Cxgap, tmp_path: Path) -> None:
    _acme(cx, tmp_path)
    with cx.transaction() as session:
        summaries = segment_summaries(session, get_workspace(session, "acme"))
        assert {s.segment.key: s.counts.feedback for s in summaries} == {"pro": 10, "home": 20}
        session.execute(delete(Feedback).where(Feedback.source_id.in_(["G-3", "G-4"])))
    assert _check(cx) == {"pro": 9, "home": 19}
    with cx.transaction() as session:
        session.execute(delete(Workspace).where(Workspace.key == "acme"))
    with cx.reading() as session:
        assert session.scalars(select(SegmentMember)).first() is None
        assert session.scalars(select(SegmentMembership)).first() is None


def test_rows_written_behind_its_back_are_caught_up_on_read(cx: Cxgap, tmp_path: Path) -> None:
    _acme(cx, tmp_path)
    with cx.transaction() as session:
        workspace = get_workspace(session, "acme")
        segment_summaries(session, workspace)  # built
        for i in range(5):  # no import: nothing updates the members
            add_feedback(session, workspace, f"quiet {i}", attributes={"segment": "pro"})
    with cx.transaction() as session:
        summaries = segment_summaries(session, get_workspace(session, "acme"))
        assert {s.segment.key: s.counts.feedback for s in summaries} == {"pro": 15, "home": 20}
    assert _check(cx) == {"pro": 15, "home": 20}


def test_a_rule_changed_behind_its_back_is_rebuilt_on_read(cx: Cxgap, tmp_path: Path) -> None:
    _acme(cx, tmp_path)
    with cx.transaction() as session:
        segment_summaries(session, get_workspace(session, "acme"))
        session.execute(
            Segment.__table__.update().where(Segment.key == "home").values(rule="nps = 0")
        )
    with cx.transaction() as session:
        summaries = segment_summaries(session, get_workspace(session, "acme"), only="home")
        assert summaries[0].counts.feedback == len([i for i in range(1, 31) if i % 11 == 0])
    _check(cx)


def test_two_imports_at_once(cx: Cxgap, tmp_path: Path) -> None:
    """Two imports into one workspace from two threads (two connections): every row of
    both is in the right segments when they are done."""
    with cx.transaction() as session:
        make_workspace(session)
        workspace = get_workspace(session, "acme")
        create_segment(
            session, workspace=workspace, key="unhappy", name_en="U", name_fr="U", rule=RULE
        )
    files = [_csv(tmp_path / f"{p}.csv", range(1, 401), prefix=p) for p in ("A", "B")]
    errors: list[BaseException] = []

    def run(source: Path) -> None:
        try:
            _import(cx, source)
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(f,)) for f in files]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    counts = _check(cx)
    assert counts["pro"] == 2 * len([i for i in range(1, 401) if i % 3 == 0])
    with cx.reading() as session:
        assert session.scalar(select(Feedback.id).order_by(Feedback.id.desc())) is not None


def test_rows_inserted_without_a_writer_hook_do_not_hide_earlier_ones(
    cx: Cxgap, tmp_path: Path
) -> None:
    """An import after rows that no hook evaluated evaluates those rows too (it moves the
    covered mark past them)."""
    with cx.transaction() as session:
        workspace = make_workspace(session)
        segment_summaries(session, workspace)
        session.execute(
            insert(Feedback),
            [
                {
                    "workspace_id": workspace.id,
                    "source_type": "review",
                    "source_id": f"raw-{i}",
                    "collected_at": workspace.created_at,
                    "text": "raw",
                    "text_hash": "0" * 64,
                    "attributes": {"segment": "home"},
                }
                for i in range(4)
            ],
        )
    _import(cx, _csv(tmp_path / "first.csv", range(1, 31)))
    assert _check(cx) == {"pro": 10, "home": 24}


def test_a_survey_comment_changing_segment_moves_its_feedback(cx: Cxgap) -> None:
    """A second submission of the same survey response (another segment) updates its
    Listening record in place; the record changes segment with it."""
    with cx.transaction() as session:
        segment_summaries(session, make_workspace(session))  # built before the answers

    def submit(segment: str) -> None:
        form = customer_form(comment="Trop cher.", response_id="R1", segment=segment)
        answer = parse_customer_answer(form, pillar_keys=PILLAR_KEYS, segment_keys={"pro", "home"})
        with cx.transaction() as session:
            workspace = get_workspace(session, "acme")
            store_customer_answers(session, workspace=workspace, answers=[answer], source="import")

    submit("pro")
    assert _check(cx) == {"pro": 1, "home": 0}
    submit("home")
    assert _check(cx) == {"pro": 0, "home": 1}
