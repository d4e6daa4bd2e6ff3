"""The pre-aggregated Listening counts (db.listening_counts): kept equal to the rows through
imports (both paths, COPY on PostgreSQL), enrichment, re-enrichment after a correction and
contact masking; the cube's figures equal the raw queries' for every filter it serves, and
every Listening page is the same whichever path it reads."""

from __future__ import annotations

import csv
import hashlib
import random
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.encoders import jsonable_encoder
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from cxgap.db import listening_counts, listening_cube, listening_queries, source_queries
from cxgap.db.feedback_filters import FeedbackFilter
from cxgap.db.listening_counts import TABLES
from cxgap.db.tables import Feedback
from cxgap.services import enrichment
from cxgap.services.contact_masking import mask_stored_contacts
from cxgap.services.core import Cxgap
from cxgap.services.feedback_imports import import_feedback, run_feedback_import
from cxgap.services.listening import explore, parse_filters
from cxgap.services.listening_insights import drivers_view, topics_view, trends_view
from cxgap.services.workspaces import get_workspace
from cxgap.text.protocols import Finding, TextAnalysis
from tests.factories import make_workspace
from tests.listening import TOPICS, RuleAnalyzer, in_order

HEADER = ["source_id", "source_type", "channel", "collected_at", "text", "nps", "csat",
          "touchpoint"]  # fmt: skip
PHRASES = [
    "delivery was late", "staff were lovely", "the price is too high", "great quality",
    "refund never came", "livraison en retard", "personnel adorable", "call me at 06 12 34 56 78",
    "write to jane@example.com please", "", "ok",
]  # fmt: skip
DAY = datetime(2026, 1, 1, tzinfo=UTC)


def _write_csv(path: Path, rng: random.Random, ids: range) -> Path:
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(HEADER)
        for i in ids:
            text = " but ".join(rng.sample(PHRASES, rng.choice((1, 1, 2))))
            writer.writerow([
                f"r{i}", rng.choice(("survey", "review", "ticket")),
                rng.choice(("web", "app", "")), f"2025-{rng.randint(1, 12):02d}-"
                f"{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:30:00+0{rng.randint(0, 5)}:00",
                text, rng.choice(("", *map(str, range(11)))), rng.choice(("", "1", "3", "5")),
                rng.choice(("", "checkout", "delivery")),
            ])  # fmt: skip
    return path


class RandomAnalyzer:
    """Findings and sentiments drawn from a seed: a new ``version`` re-enriches every text
    (as a correction and retraining does), moving sentiments and topics."""

    def __init__(self, version: int) -> None:
        self.version = version
        self.name = f"random-v{version}"

    def analyze(self, texts: list[str]) -> list[TextAnalysis]:
        return [self._one(t) for t in texts]

    def _one(self, text: str) -> TextAnalysis:
        rng = random.Random(f"{self.version}:{text}")
        findings = tuple(
            Finding(0, max(1, len(text)), rng.choice(("positive", "neutral", "negative", "")),
                    round(rng.uniform(-1, 1), 3), 0.5,
                    tuple(rng.sample(["delivery", "price", "staff"], rng.randint(0, 2))))
            for _ in range(rng.randint(0, 3))
        )  # fmt: skip
        topics = tuple(dict.fromkeys(t for f in findings for t in f.topics))
        sentiment = rng.choice(("positive", "neutral", "negative"))
        return TextAnalysis(rng.choice(("fr", "en", "other")), sentiment,  # type: ignore[arg-type]
                            rng.uniform(-1, 1), 0.3, topics, (), findings)  # fmt: skip


def _rows(session: Session, workspace_id: int) -> dict[str, list[tuple[Any, ...]]]:
    """Every count, floats rounded (sums in another order differ in the last bit): none is
    zero (the upkeep deletes them)."""
    result = {}
    for model in TABLES:
        table = model.__table__
        columns = [c for c in table.c if c.name != "id"]
        found = session.execute(select(*columns).where(table.c.workspace_id == workspace_id))
        result[table.name] = sorted(
            tuple(round(v, 9) if isinstance(v, float) else str(v) for v in row) for row in found
        )
        n = [c.name for c in columns].index("n")
        assert all(row[n] != "0" for row in result[table.name]), table.name
    return result


def _assert_cube_is_rebuild(cx: Cxgap) -> None:
    with cx.transaction() as session:
        workspace = get_workspace(session, "acme")
        kept = _rows(session, workspace.id)
        listening_counts.rebuild(session, workspace.id)
        assert kept == _rows(session, workspace.id)
        assert sum(len(rows) for rows in kept.values()) > 0


FILTERS = [
    FeedbackFilter(),
    FeedbackFilter(source_types=("survey",)),
    FeedbackFilter(channels=("web",)),
    FeedbackFilter(languages=("fr",)),
    FeedbackFilter(sentiments=("negative",)),
    FeedbackFilter(date_from=datetime(2025, 3, 1, tzinfo=UTC)),
    FeedbackFilter(
        date_from=datetime(2025, 2, 1, tzinfo=UTC), date_to=datetime(2025, 10, 1, tzinfo=UTC)
    ),
    FeedbackFilter(
        date_from=datetime(2025, 2, 1, tzinfo=UTC),
        date_to=datetime(2025, 9, 1, tzinfo=UTC),
        source_types=("review",),
        sentiments=("positive",),
    ),
    FeedbackFilter(
        date_from=datetime(2025, 2, 3, tzinfo=UTC),
        date_to=datetime(2025, 9, 2, tzinfo=UTC),
        channels=("app",),
    ),
]


def _same(a: Any, b: Any) -> None:
    assert a == pytest.approx(b, rel=1e-9, abs=1e-9)


def _assert_cube_equals_rows(session: Session, ws: int) -> None:
    cube, rows = listening_cube, listening_queries
    assert cube.count_enriched(session, ws) == rows.count_enriched(session, ws)
    served = {"day": 0, "month": 0, "drivers": 0}
    for f in FILTERS:
        assert cube.serves(f)
        served["day"] += 1
        assert sorted(cube.facet_table(session, ws, f), key=str) == sorted(
            rows.facet_table(session, ws, f), key=str
        )
        assert cube.count_verbatims(session, ws, f) == rows.count_verbatims(session, ws, f)
        bounds = rows.date_bounds(session, ws, f)
        expected = bounds and (bounds[0].astimezone(UTC).date(), bounds[1].astimezone(UTC).date())
        assert cube.day_bounds(session, ws, f) == expected
        for grain in ("month", "week"):
            assert cube.sentiment_histograms(session, ws, f, grain) == (
                rows.sentiment_histograms(session, ws, f, grain)
            )
        if cube.serves(f, "month"):
            served["month"] += 1
            _assert_month_counts(session, ws, f)
        if cube.serves(f, "drivers"):
            served["drivers"] += 1
            for metric in ("nps", "stars"):
                want = in_order(rows.driver_patterns(session, ws, f, metric))
                assert in_order(cube.driver_patterns(session, ws, f, metric)) == want
    assert served == {"day": 9, "month": 8, "drivers": 3}


def _assert_month_counts(session: Session, ws: int, f: FeedbackFilter) -> None:
    cube, rows = listening_cube, listening_queries
    assert cube.topic_facet_counts(session, ws, f) == rows.topic_facet_counts(session, ws, f)
    got = sorted(cube.mention_counts(session, ws, f))
    want = sorted(rows.mention_counts(session, ws, f, "month"))
    assert [r[:4] for r in got] == [r[:4] for r in want]
    _same([r[4] for r in got], [r[4] for r in want])
    for metric in ("nps", "csat", "ces", "stars"):
        assert cube.score_histograms(session, ws, f, metric) == (
            rows.score_histograms(session, ws, f, metric, "month")
        )
    for metric in ("nps", "stars"):
        assert cube.has_scores(session, ws, f, metric) == rows.has_scores(session, ws, f, metric)
    got_nps = cube.nps_by_source(session, ws, f)
    want_nps = source_queries.feedback_nps_by_source(session, ws, f)
    assert [(s.source_type, s.histogram) for s in got_nps] == [
        (s.source_type, s.histogram) for s in want_nps
    ]
    assert [(s.first and s.first.date(), s.last and s.last.date()) for s in got_nps] == [
        (s.first and s.first.astimezone(UTC).date(), s.last and s.last.astimezone(UTC).date())
        for s in want_nps
    ]


def test_the_cube_does_not_serve_what_needs_the_rows() -> None:
    serves = listening_cube.serves
    assert not serves(FeedbackFilter(search="late"))
    assert not serves(FeedbackFilter(topic_sets=(("delivery",),)))
    assert not serves(FeedbackFilter(touchpoint="x"))
    assert not serves(FeedbackFilter(date_from=datetime(2025, 1, 1, 12, tzinfo=UTC)))
    assert serves(FeedbackFilter(channels=("web",), date_to=datetime(2025, 1, 2, tzinfo=UTC)))
    assert not serves(FeedbackFilter(date_to=datetime(2025, 1, 2, tzinfo=UTC)), "month")
    assert serves(FeedbackFilter(channels=("web",), date_to=DAY), "month")
    assert not serves(FeedbackFilter(channels=("web",), date_to=DAY), "drivers")
    assert serves(FeedbackFilter(date_from=DAY), "drivers")


@pytest.fixture
def acme(cx: Cxgap) -> Iterator[Cxgap]:
    cx.upgrade()
    with cx.transaction() as session:
        make_workspace(session)
    yield cx


def _stage_import(cx: Cxgap, path: Path) -> None:
    outcome = run_feedback_import(cx, workspace_key="acme", source=path, name=path.name,
                                  preset="generic")  # fmt: skip
    assert outcome.refusal is None


def _batch_import(cx: Cxgap, path: Path) -> None:
    with cx.transaction() as session:
        import_feedback(session, workspace=get_workspace(session, "acme"), source=path,
                        name=path.name, preset="generic", mapping=None)  # fmt: skip


def test_counts_follow_every_change_and_equal_the_raw_queries(acme: Cxgap, tmp_path: Path) -> None:
    rng = random.Random(7)
    _stage_import(acme, _write_csv(tmp_path / "a.csv", rng, range(0, 80)))
    _assert_cube_is_rebuild(acme)
    with acme.reading() as session:
        workspace = get_workspace(session, "acme")
    enrichment.enrich_pending(acme.sessions, workspace, RuleAnalyzer(TOPICS), batch_size=9)
    _assert_cube_is_rebuild(acme)
    # A re-import that changes half the records and adds new ones, through the other path.
    _batch_import(acme, _write_csv(tmp_path / "b.csv", rng, range(40, 120)))
    # Corrections retrain the model: every text is enriched again, sentiments and topics move.
    enrichment.enrich_pending(acme.sessions, workspace, RandomAnalyzer(1), batch_size=13)
    _unmasked_texts(acme, workspace.id)
    with acme.transaction() as session:
        assert mask_stored_contacts(session, workspace=workspace).feedback > 0
    _assert_cube_is_rebuild(acme)
    with acme.reading() as session:
        _assert_cube_equals_rows(session, workspace.id)


def _unmasked_texts(cx: Cxgap, workspace_id: int) -> None:
    """Records stored before masking was turned on: an e-mail in a few enriched texts."""
    with cx.transaction() as session:
        ids = session.scalars(select(Feedback.id).where(Feedback.workspace_id == workspace_id)
                              .order_by(Feedback.id).limit(5)).all()  # fmt: skip
        changed = Feedback.id.in_(ids)
        with listening_counts.changing(session, workspace_id, changed):
            text = "write to jane@example.com please"
            session.execute(update(Feedback).where(changed).values(
                text=text, text_hash=hashlib.sha256(text.encode()).hexdigest()))  # fmt: skip


def _views(cx: Cxgap, filters: dict[str, str]) -> Any:
    with cx.reading() as session:
        workspace = get_workspace(session, "acme")
        chosen = parse_filters(filters)
        views = [
            explore(session, workspace, chosen),
            topics_view(session, workspace, chosen),
            trends_view(session, workspace, chosen, grain="month", min_group_size=3),
            trends_view(session, workspace, chosen, grain="week", min_group_size=3),
            drivers_view(session, workspace, chosen, level="topic", min_group_size=3),
            drivers_view(session, workspace, chosen, level="pillar", min_group_size=3),
        ]
        return _rounded(jsonable_encoder(views))


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return value


@pytest.mark.parametrize(
    "filters",
    [{}, {"source": "survey"}, {"sentiment": "negative", "from": "2025-03-01", "to": "2025-10-31"},
     {"language": "en", "channel": "web"}, {"from": "2025-04-01", "to": "2025-06-30"},
     {"from": "2025-03-02", "to": "2025-08-12"}],
)  # fmt: skip
def test_every_page_is_the_same_from_the_cube_and_from_the_rows(
    acme: Cxgap, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, filters: dict[str, str]
) -> None:
    rng = random.Random(3)
    _stage_import(acme, _write_csv(tmp_path / "a.csv", rng, range(0, 150)))
    with acme.reading() as session:
        workspace = get_workspace(session, "acme")
    enrichment.enrich_pending(acme.sessions, workspace, RuleAnalyzer(TOPICS))
    read = []
    serves = listening_cube.serves

    def spy(f: FeedbackFilter, need: str = "day") -> bool:
        read.append(served := serves(f, need))  # type: ignore[arg-type]
        return served

    monkeypatch.setattr(listening_cube, "serves", spy)
    from_cube = _views(acme, filters)
    assert any(read), "the pages did not read the cube"
    monkeypatch.setattr(listening_cube, "serves", lambda f, need="day": False)
    assert _views(acme, filters) == from_cube


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_changes_keep_the_cube_equal_to_a_rebuild(
    acme: Cxgap, tmp_path: Path, seed: int
) -> None:
    rng = random.Random(seed)
    with acme.reading() as session:
        workspace = get_workspace(session, "acme")
    for step in range(6):
        action = rng.choice(("stage", "batch", "enrich", "mask"))
        if action in ("stage", "batch"):
            start = rng.randint(0, 60)
            path = _write_csv(
                tmp_path / f"{step}.csv", rng, range(start, start + rng.randint(1, 40))
            )
            (_stage_import if action == "stage" else _batch_import)(acme, path)
        elif action == "enrich":
            analyzer = RandomAnalyzer(rng.randint(1, 3))
            enrichment.enrich_pending(
                acme.sessions, workspace, analyzer, batch_size=rng.randint(1, 9)
            )
        else:
            with acme.transaction() as session:
                mask_stored_contacts(session, workspace=workspace)
    _stage_import(acme, _write_csv(tmp_path / "last.csv", rng, range(0, 5)))
    _assert_cube_is_rebuild(acme)


def test_enrichment_batches_move_the_counts_by_their_difference(
    acme: Cxgap, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Enrichment's batch path (db.listening_count_moves: the records read before and after,
    only the counts that moved written): a first analysis, then two re-analyses moving
    sentiments, languages and topics, in batches of several sizes, leave exactly the counts a
    rebuild computes, none at zero; the per-table retract/add path is not used."""
    _stage_import(acme, _write_csv(tmp_path / "a.csv", random.Random(5), range(0, 70)))
    with acme.reading() as session:
        workspace = get_workspace(session, "acme")

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("enrichment went through retract/add")

    monkeypatch.setattr(listening_counts, "retract", refuse)
    monkeypatch.setattr(listening_counts, "add", refuse)
    for version, size in ((1, 7), (2, 3), (3, 64)):
        enrichment.enrich_pending(
            acme.sessions, workspace, RandomAnalyzer(version), batch_size=size
        )
        _assert_cube_is_rebuild(acme)
    with acme.reading() as session:
        counted = _rows(session, workspace.id)
    assert counted["listening_mention_counts"] and counted["listening_driver_counts"]
