"""An import's Listening counts added in one grouped pass (``db.listening_count_merge``)
equal a rebuild's, on SQLite and PostgreSQL: imports into a workspace that already holds
counts (the same touchpoints, segments, days and sources again, so every merge adds to
rows already there), records carrying a touchpoint or not, in segments, collected across
UTC days and months, some of their texts enriched by an earlier import's enrichment; on
PostgreSQL the new files go the direct way (``COPY``), the re-import the staged one.
The families the records cannot touch are skipped, and only those."""

from __future__ import annotations

import csv
import random
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from cxgap.db import listening_count_merge, listening_counts
from cxgap.db.listening_count_parts import OF_ENRICHED, SEGMENT_TABLES
from cxgap.db.listening_count_tables import ListeningSegmentCount
from cxgap.db.listening_segment_touch_tables import ListeningDaySegmentTouchpointScoreCount
from cxgap.services import enrichment
from cxgap.services.core import Cxgap
from cxgap.services.feedback_imports import run_feedback_import
from cxgap.services.segments import set_segment_rule
from cxgap.services.workspaces import get_workspace
from tests.db.test_listening_counts import PHRASES, RandomAnalyzer, _rows
from tests.factories import make_workspace

RULES = {"pro": "nps <= 6", "home": 'channel = "web" or touchpoint = "checkout"'}
HEADER = ["source_id", "source_type", "channel", "collected_at", "text", "nps", "csat",
          "touchpoint"]  # fmt: skip
# Around UTC midnight and a month's end: the offset moves a record to the next UTC day
# (2025-03-31T23:30-02:00 is April 1st in UTC) or keeps it.
MOMENTS = [
    "2025-03-30T23:30:00-02:00", "2025-03-31T00:30:00+02:00", "2025-03-31T23:30:00-02:00",
    "2025-04-01T01:00:00+03:00", "2025-04-01T12:00:00+00:00", "2025-04-07T22:00:00-05:00",
]  # fmt: skip


def _file(path: Path, prefix: str, ids: range, seed: int, *, fresh: str = "") -> Path:
    """Records over few keys (two sources, two channels, two touchpoints, six moments), so
    a second import lands on the first one's count rows; ``fresh``: a text no earlier
    import had (never enriched) on every third record."""
    rng = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(HEADER)
        for i in ids:
            text = f"{fresh} {i}" if fresh and i % 3 == 0 else rng.choice(PHRASES)
            writer.writerow([
                f"{prefix}{i}", rng.choice(("survey", "review")), rng.choice(("web", "")),
                rng.choice(MOMENTS), text, rng.choice(("", "3", "9", "10")),
                rng.choice(("", "2", "5")), rng.choice(("", "checkout", "delivery")),
            ])  # fmt: skip
    return path


def _import(cx: Cxgap, path: Path) -> None:
    outcome = run_feedback_import(cx, workspace_key="acme", source=path, name=path.name,
                                  preset="generic")  # fmt: skip
    assert outcome.refusal is None, outcome.report.summary()


def _assert_counts_are_rebuild(cx: Cxgap) -> dict[str, list[tuple[Any, ...]]]:
    with cx.transaction() as session:
        workspace = get_workspace(session, "acme")
        kept = _rows(session, workspace.id)
        listening_counts.rebuild(session, workspace.id)
        assert kept == _rows(session, workspace.id)
        session.rollback()
    return kept


@pytest.fixture
def acme(cx: Cxgap) -> Cxgap:
    cx.upgrade()
    with cx.transaction() as session:
        workspace = make_workspace(session)
        for segment, rule in RULES.items():
            set_segment_rule(session, workspace=workspace, key=segment, rule=rule)
    return cx


def test_imports_into_counts_already_there_add_what_a_rebuild_counts(
    acme: Cxgap, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    skipped: list[set[Any]] = []
    untouched = listening_count_merge._untouched

    def spy(*args: Any) -> set[Any]:
        skipped.append(found := untouched(*args))
        return found

    monkeypatch.setattr(listening_count_merge, "_untouched", spy)
    _import(acme, _file(tmp_path / "a.csv", "a", range(120), 1))
    assert len(skipped) == 1 and set(OF_ENRICHED) <= skipped[0]  # nothing enriched yet
    _assert_counts_are_rebuild(acme)
    with acme.reading() as session:
        workspace = get_workspace(session, "acme")
    enrichment.enrich_pending(acme.sessions, workspace, RandomAnalyzer(2), batch_size=40)
    first = _assert_counts_are_rebuild(acme)
    # New ids, the same keys: the direct path on PostgreSQL; their texts mostly enriched.
    _import(acme, _file(tmp_path / "b.csv", "b", range(90), 2, fresh="nouveau texte"))
    assert skipped[-1] <= set(SEGMENT_TABLES)  # new records: in no segment yet, only
    second = _assert_counts_are_rebuild(acme)
    assert second[ListeningDaySegmentTouchpointScoreCount.__tablename__]
    assert second["listening_mention_counts"]  # the enriched records' findings
    for name in ("listening_counts", "listening_day_touchpoint_score_counts"):
        before = {row[:-1]: int(row[-1]) for row in first[name]}  # the key: n
        after = {row[:-1]: int(row[-1]) for row in second[name]}
        assert any(after.get(key, 0) > n for key, n in before.items()), name  # merged
    # A re-import of known ids (the staged path): records in segments, updated in place.
    _import(acme, _file(tmp_path / "a2.csv", "a", range(40, 160), 3))
    assert not set(SEGMENT_TABLES) & skipped[-1]  # its updated records are members
    _assert_counts_are_rebuild(acme)
    with acme.reading() as session:
        members = select(func.sum(ListeningSegmentCount.n))
        assert session.scalar(members.where(ListeningSegmentCount.workspace_id == workspace.id))


def test_records_without_touchpoint_skip_the_touchpoint_tables_only(
    acme: Cxgap, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    skipped: list[set[Any]] = []
    untouched = listening_count_merge._untouched
    monkeypatch.setattr(
        listening_count_merge, "_untouched", lambda *a: skipped.append(s := untouched(*a)) or s
    )
    _import(acme, _file(tmp_path / "a.csv", "a", range(60), 4))
    path = tmp_path / "plain.csv"
    path.write_text(
        _file(tmp_path / "b.csv", "b", range(60), 5)
        .read_text("utf-8")
        .replace(",checkout\n", ",\n")
        .replace(",delivery\n", ",\n"),
        "utf-8",
    )
    _import(acme, path)
    assert set(listening_count_merge.TOUCHED) <= skipped[-1]
    # The first file's: every touchpoint table but those of segments and enriched records.
    touched = set(listening_count_merge.TOUCHED) - set(SEGMENT_TABLES) - set(OF_ENRICHED)
    assert touched and not touched & skipped[0]
    _assert_counts_are_rebuild(acme)


def test_with_the_grouped_pass_off_the_per_table_statements_count(
    acme: Cxgap, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``enabled`` off (the bench's baseline): the per-table upkeep, the same counts."""
    monkeypatch.setattr(listening_count_merge, "enabled", False)
    calls: list[int] = []
    monkeypatch.setattr(listening_count_merge, "add", lambda *a: calls.append(1) or ())
    _import(acme, _file(tmp_path / "a.csv", "a", range(80), 6))
    _import(acme, _file(tmp_path / "b.csv", "b", range(80), 7))
    assert calls == [] and _assert_counts_are_rebuild(acme)["listening_day_touchpoint_counts"]
