"""The overlay index kept up to date incrementally: built through several imports, updates
in place, enrichments and a deletion, it holds what a whole rebuild holds, on SQLite and
PostgreSQL; and it only rewrites the rows of what changed."""

from __future__ import annotations

import io
from typing import Any

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from cxgap.db.listening_count_moves import moving
from cxgap.db.tables import (
    Feedback,
    TextEnrichment,
    TextFinding,
    Topic,
    TouchpointFeedback,
    TouchpointIrritant,
    TouchpointIrritantCount,
    TouchpointTally,
    Workspace,
)
from cxgap.journeys.model import Persona
from cxgap.services import journeys, overlay
from cxgap.services.contact_masking import mask_stored_contacts
from cxgap.services.core import Cxgap
from cxgap.services.feedback_imports import import_feedback
from cxgap.services.overlay import journey_with_overlay, refresh_overlay_index
from cxgap.services.segments import set_segment_rule
from cxgap.services.workspaces import add_segments, bump_revision, get_workspace
from tests.enrichment_factory import add_topic, enrich
from tests.factories import make_workspace
from tests.journeys.samples import sample_journey

HEADER = "source_id,source_type,channel,collected_at,text,nps,csat,touchpoint,segment\n"
TOPICS = ("price", "late", "staff")
FIRST = 120  # items of the first import: later changes are a small share, and folded


def _row(n: int, *, nps: int | None = None, touchpoint: str = "", version: str = "") -> str:
    score = "" if nps is None else str(nps)
    csat = "" if n % 3 else str(1 + n % 5)
    segment = ("pro", "family", "")[n % 3]
    text = f"Item {n}{version}: the {TOPICS[n % 3]} was a story"
    when = f"2026-04-{1 + n % 28:02d}T10:00:00+00:00"
    return f"S-{n},survey,web,{when},{text},{score},{csat},{touchpoint},{segment}\n"


def _import(cx: Cxgap, rows: list[str]) -> None:
    with cx.transaction() as session:
        workspace = get_workspace(session, "acme")
        source = io.BytesIO((HEADER + "".join(rows)).encode())
        import_feedback(
            session, workspace=workspace, source=source, name="batch.csv", preset="generic",
            mapping=None,
        )  # fmt: skip


def _enrich_all(cx: Cxgap) -> None:
    """Analyse every text not analysed yet, as an enrichment job would (new rows)."""
    with cx.transaction() as session:
        workspace = get_workspace(session, "acme")
        done = select(TextEnrichment.text_hash).where(TextEnrichment.workspace_id == workspace.id)
        items = session.execute(
            select(Feedback.id, Feedback.text_hash).where(
                Feedback.workspace_id == workspace.id, Feedback.text_hash.not_in(done)
            )
        )
        pending = sorted({(fid, h) for fid, h in items})
        # the counts move once for the whole set, as an enrichment batch moves them
        scope = Feedback.text_hash.in_([h for _, h in pending])
        with moving(session, workspace.id, scope):
            for n, text_hash in pending:
                _analyse(session, workspace, text_hash, n)


def _analyse(session: Session, workspace: Workspace, text_hash: str, n: int) -> None:
    score = round(((n * 37) % 19 - 9) / 10, 2)
    topic = TOPICS[n % 3]
    findings = [(topic, score), (TOPICS[(n + 1) % 3], -0.6)] if n % 2 else [(topic, score)]
    enrich(session, workspace, text_hash, score, None, findings, counts=False)


def _refresh(cx: Cxgap) -> bool:
    with cx.transaction() as session:
        return refresh_overlay_index(session, workspace=get_workspace(session, "acme"))


def _snapshot(session: Session, ws: int) -> dict[str, Any]:
    """Every row of the workspace's index (ids aside; sums to rounding) and what views show."""

    def rows(table: Any, columns: tuple[str, ...]) -> list[tuple[Any, ...]]:
        found = session.scalars(select(table).where(table.workspace_id == ws))
        return sorted(
            tuple(
                round(v, 9) if isinstance(v, float) else v for v in map(row.__dict__.get, columns)
            )
            for row in found
        )

    workspace = session.get(Workspace, ws)
    assert workspace is not None
    views = {
        persona: journey_with_overlay(session, workspace=workspace, key="sample", persona=persona)[
            0
        ]
        for persona in (None, "pro-persona", "sad-persona")
    }
    return {
        "feedback": rows(TouchpointFeedback, ("touchpoint_key", "feedback_id", "enrichment_id",
                         "sentiment_score", "intensity", "nps", "csat", "segment_mask")),
        "irritants": rows(TouchpointIrritant, ("touchpoint_key", "topic_key", "feedback_id",
                          "sentiment_score", "segment_mask")),
        "tallies": rows(TouchpointTally, ("touchpoint_key", "segment_mask", "feedback_count",
                        "enriched_count", "sentiment_sum", "intensity_sum", "strong_negative",
                        "strong_positive", "promoters", "detractors", "nps_count", "csat_sum",
                        "csat_count")),
        "counts": rows(TouchpointIrritantCount, ("touchpoint_key", "segment_mask", "topic_key",
                       "items")),
        "views": {
            persona: [(tp.key, tp.measured) for tp in journey.touchpoints]
            for persona, journey in views.items()
        },
    }  # fmt: skip


def _incremental_and_rebuilt(cx: Cxgap) -> tuple[dict[str, Any], dict[str, Any]]:
    """The index as kept up to date, and as a whole rebuild makes it (then rolled back)."""
    with cx.transaction() as session:
        ws = get_workspace(session, "acme").id
        kept = _snapshot(session, ws)
    with cx.reading() as session:
        assert refresh_overlay_index(session, workspace=get_workspace(session, "acme"), force=True)
        rebuilt = _snapshot(session, ws)
        session.rollback()
    return kept, rebuilt


def _row_ids(cx: Cxgap, feedback_ids: set[int]) -> set[int]:
    with cx.reading() as session:
        query = select(TouchpointFeedback.id).where(
            TouchpointFeedback.feedback_id.in_(feedback_ids)
        )
        return set(session.scalars(query))


def _feedback_ids(cx: Cxgap, source_ids: list[str]) -> set[int]:
    with cx.reading() as session:
        return set(session.scalars(select(Feedback.id).where(Feedback.source_id.in_(source_ids))))


@pytest.fixture
def workspaces(cx: Cxgap) -> Cxgap:
    """acme (the one kept up to date) and beta, whose rows share the tables."""
    with cx.transaction() as session:
        for key in ("beta", "acme"):
            ws = make_workspace(session, key=key, name=key)
            add_segments(session, workspace=ws, segments=[("pro", "Pros", "Pros"),
                                                          ("sad", "Sad", "Tristes")])  # fmt: skip
            set_segment_rule(session, workspace=ws, key="sad", rule="nps <= 6")
            journey = sample_journey(3)
            journeys.create_journey(session, workspace=ws, journey=journey)
            for key_, segment in (("pro-persona", "pro"), ("sad-persona", "sad")):
                persona = Persona(key=key_, name=key_, segment=segment)
                journeys.create_persona(session, workspace=ws, persona=persona)
            add_topic(session, ws, "price", ["tp-0-0"])
            add_topic(session, ws, "late", ["tp-1-0", "tp-2-0"])
            add_topic(session, ws, "staff")
    _import(
        cx, [_row(n, nps=n % 11, touchpoint=("tp-0-0", "", "tp-2-0")[n % 3]) for n in range(FIRST)]
    )
    with cx.transaction() as session:  # beta's rows, so that a rebuild of acme's moves ids
        refresh_overlay_index(session, workspace=get_workspace(session, "beta"))
    assert _refresh(cx) is True  # built whole the first time
    return cx


def test_folding_imports_and_enrichments_equals_a_rebuild(workspaces: Cxgap) -> None:
    cx = workspaces
    _enrich_all(cx)  # the enrichment job after the first import
    assert _refresh(cx) is True
    kept, rebuilt = _incremental_and_rebuilt(cx)
    assert kept == rebuilt

    # a second import: new items, and items re-imported with other values (updated in place)
    untouched = _feedback_ids(cx, [f"S-{n}" for n in range(5, FIRST)])
    ids_before = _row_ids(cx, untouched)
    changed = [_row(n, nps=10, touchpoint="tp-1-0", version=" v2") for n in range(5)]
    _import(cx, changed + [_row(n, nps=n % 7) for n in range(FIRST, FIRST + 15)])
    assert _refresh(cx) is True
    assert _row_ids(cx, untouched) == ids_before  # only what changed was rewritten
    kept, rebuilt = _incremental_and_rebuilt(cx)
    assert kept == rebuilt

    _enrich_all(cx)  # the new texts analysed
    with cx.transaction() as session:  # and one text analysed again (replaced: new ids)
        workspace = get_workspace(session, "acme")
        text_hash = session.scalars(
            select(Feedback.text_hash).where(Feedback.source_id == "S-7")
        ).one()
        stale = select(TextEnrichment.id).where(TextEnrichment.text_hash == text_hash)
        session.execute(delete(TextFinding).where(TextFinding.enrichment_id.in_(stale)))
        session.execute(delete(TextEnrichment).where(TextEnrichment.text_hash == text_hash))
        enrich(session, workspace, text_hash, -0.95, None, [("late", -0.95)])
    assert _refresh(cx) is True
    assert _row_ids(cx, untouched - _feedback_ids(cx, ["S-7"])) <= ids_before
    kept, rebuilt = _incremental_and_rebuilt(cx)
    assert kept == rebuilt
    assert kept["views"][None][0][1].feedback_count > 0


def test_a_deletion_rebuilds_whole(workspaces: Cxgap) -> None:
    cx = workspaces
    _enrich_all(cx)
    _refresh(cx)
    with cx.transaction() as session:
        workspace = get_workspace(session, "acme")
        session.execute(delete(Feedback).where(Feedback.source_id.in_(["S-0", "S-3"])))
        bump_revision(session, workspace.id)
    assert _refresh(cx) is True
    kept, rebuilt = _incremental_and_rebuilt(cx)
    assert kept == rebuilt


def test_a_change_outside_the_feedback_rewrites_nothing(workspaces: Cxgap) -> None:
    """A survey answer moves the data revision, not the feedback: no rows are written."""
    cx = workspaces
    with cx.transaction() as session:
        bump_revision(session, get_workspace(session, "acme").id)
    assert _refresh(cx) is False


def test_a_new_link_rebuilds_whole(workspaces: Cxgap) -> None:
    cx = workspaces
    _enrich_all(cx)
    _refresh(cx)
    with cx.transaction() as session:
        workspace = get_workspace(session, "acme")
        topic = session.scalars(
            select(Topic).where(Topic.workspace_id == workspace.id, Topic.key == "staff")
        ).one()
        topic.touchpoint_keys = ["tp-1-0"]
    assert _refresh(cx) is True
    kept, rebuilt = _incremental_and_rebuilt(cx)
    assert kept == rebuilt
    staff = [row for row in kept["irritants"] if row[:2] == ("tp-1-0", "staff")]
    assert staff  # the new link counts the items negative about the staff at tp-1-0


def test_masked_contacts_are_folded_in(workspaces: Cxgap) -> None:
    """Masking rewrites a text in place: its item loses the old text's analysis."""
    cx = workspaces
    _enrich_all(cx)
    _refresh(cx)
    with cx.transaction() as session:
        item = session.scalars(select(Feedback).where(Feedback.source_id == "S-4")).one()
        session.execute(
            update(Feedback)
            .where(Feedback.id == item.id)
            .values(text=item.text + " write to ann@example.com")  # stored before masking
        )
    with cx.transaction() as session:
        assert mask_stored_contacts(session, workspace=get_workspace(session, "acme")).feedback
    assert _refresh(cx) is True
    kept, rebuilt = _incremental_and_rebuilt(cx)
    assert kept == rebuilt


def test_a_fold_of_more_items_than_one_statement_used_to_take(
    cx: Cxgap, monkeypatch: pytest.MonkeyPatch
) -> None:
    """510 new items, then their analyses, folded into 100 (folding allowed up to as many
    items as the index covers, so that the test stays small): all of them in one set of
    statements (the first version went 500 at a time) gives what a rebuild gives, and
    rewrites no row of the items already there."""
    monkeypatch.setattr(overlay, "SHARE", 1)
    first, added = 100, 510
    with cx.transaction() as session:
        ws = make_workspace(session, key="acme", name="acme")
        add_segments(session, workspace=ws, segments=[("pro", "Pros", "Pros")])
        journeys.create_journey(session, workspace=ws, journey=sample_journey(3))
        for key_, segment in (("pro-persona", "pro"), ("sad-persona", "pro")):
            persona = Persona(key=key_, name=key_, segment=segment)
            journeys.create_persona(session, workspace=ws, persona=persona)
        add_topic(session, ws, "price", ["tp-0-0"])
        add_topic(session, ws, "late", ["tp-1-0", "tp-2-0"])
    tps = ("tp-0-0", "", "tp-2-0")
    _import(cx, [_row(n, nps=n % 11, touchpoint=tps[n % 3]) for n in range(first)])
    _enrich_all(cx)
    assert _refresh(cx) is True
    before = _row_ids(cx, _feedback_ids(cx, [f"S-{n}" for n in range(first)]))
    _import(cx, [_row(n, nps=n % 11, touchpoint=tps[n % 3]) for n in range(first, first + added)])
    assert _refresh(cx) is True
    _enrich_all(cx)
    assert _refresh(cx) is True
    assert _row_ids(cx, _feedback_ids(cx, [f"S-{n}" for n in range(first)])) == before
    kept, rebuilt = _incremental_and_rebuilt(cx)
    assert kept == rebuilt
    assert sum(count for _, _, _, count in kept["counts"]) > first  # irritants were folded
