"""A broad Listening search on PostgreSQL estimated from a page sample
(services.search_estimate, db.search_sample): the interval holds the exact count, the
exact figures are one request away, SQLite and selective searches are read whole as
before, and the pages say so in French and English."""

from __future__ import annotations

import hashlib
import html
import math
import random
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from cxgap.db import listening_counts, search_index
from cxgap.db.feedback_filters import FeedbackFilter, search_pattern
from cxgap.db.listening_queries import as_aware, date_bounds
from cxgap.db.search_sample import PageSample, planned_matches
from cxgap.db.tables import Feedback, TextEnrichment, TextFinding, Workspace
from cxgap.services import search_estimate
from cxgap.services.core import Cxgap
from cxgap.services.listening import explore, parse_filters
from cxgap.services.listening_insights import drivers_view, topics_view, trends_view
from cxgap.services.search_estimate import estimate
from cxgap.services.workspaces import get_workspace
from tests.factories import make_user, make_workspace
from tests.listening_factories import SOURCES, enrich, make_topics, random_verbatim
from tests.prepared import Prepared
from tests.warm_routes import app_for
from tests.web.conftest import log_in

ITEMS = 6_000
SEARCHES = {"delivery": True, "livraison": True, "zzz": False}  # broad or not


@pytest.fixture
def large(cx: Cxgap, prepared: Prepared, monkeypatch: pytest.MonkeyPatch) -> Iterator[Cxgap]:
    """6,000 enriched records, and thresholds scaled down with them: a workspace of 2,000
    records or more is sampled (2,000 records read, a third of it), a search matching 300
    or more is broad. Written once per session and backend, and copied (tests/prepared.py):
    8-18 s a build on the busy 2-core machine, for the 11 tests of this module and
    tests/jobs/test_exact_figures_job.py on each backend."""
    monkeypatch.setattr(search_estimate, "SAMPLE_FROM", 2_000)
    monkeypatch.setattr(search_estimate, "SAMPLE_RECORDS", 2_000)
    monkeypatch.setattr(search_estimate, "BROAD", 300)
    prepared.into(cx, "search-estimate-large", _large)
    if cx.engine.dialect.name == "postgresql":  # the statistics autovacuum would gather
        with cx.transaction() as session:
            session.execute(text("ANALYZE feedback, feedback_search"))
    yield cx


def _large(session: Session) -> None:
    workspace = make_workspace(session)
    make_topics(session, workspace)
    _bulk(session, workspace, random.Random(5))
    make_user(session, "cx@example.com", workspace=workspace, role="analyst")


def _bulk(session: Session, workspace: Workspace, rng: random.Random) -> None:
    """``ITEMS`` records with NPS over a year, 300 distinct texts enriched, counts rebuilt
    once (``listening_factories.bulk_listening`` keeps the counts text by text: minutes)."""
    pool = [random_verbatim(rng) for _ in range(300)]
    start = datetime(2025, 6, 1, tzinfo=UTC)
    rows = []
    for index in range(ITEMS):
        verbatim = rng.choice(pool)
        source_type, channel = rng.choice(SOURCES)
        rows.append({
            "workspace_id": workspace.id, "source_type": source_type, "channel": channel,
            "source_id": f"b{index}", "collected_at": start + timedelta(days=rng.uniform(0, 365)),
            "text": verbatim.text, "nps": rng.randint(0, 10), "attributes": {},
            "text_hash": hashlib.sha256(verbatim.text.encode()).hexdigest(), "touchpoint": None,
        })  # fmt: skip
    session.execute(insert(Feedback), rows)
    for verbatim in pool:
        enrich(session, workspace, verbatim, counts=False)
    listening_counts.rebuild(session, workspace.id)


def _matching(cx: Cxgap, search: str, **where: str) -> int:
    pattern = re.compile(search_pattern(search))
    with cx.reading() as session:
        query = select(Feedback.text, Feedback.source_type, Feedback.text_hash)
        rows = session.execute(query.where(Feedback.workspace_id == _ws(cx))).all()
        about = _texts_about(session, where["topic"]) if "topic" in where else None
    source = where.get("source")
    return sum(
        1
        for t, s, h in rows
        if pattern.search(t) and (source is None or s == source) and (about is None or h in about)
    )


def _texts_about(session: Session, topic: str) -> set[str]:
    query = (
        select(TextEnrichment.text_hash)
        .join(TextFinding, TextFinding.enrichment_id == TextEnrichment.id)
        .where(TextFinding.topic_key == topic)
    )
    return set(session.scalars(query))


def _commonest_topic(cx: Cxgap) -> str:
    with cx.reading() as session:
        query = (
            select(TextFinding.topic_key)
            .where(TextFinding.topic_key.is_not(None))
            .group_by(TextFinding.topic_key)
            .order_by(func.count().desc(), TextFinding.topic_key)
            .limit(1)
        )
        found = session.scalar(query)
    assert found is not None
    return found


def _ws(cx: Cxgap) -> int:
    with cx.reading() as session:
        return get_workspace(session, "acme").id


def test_a_broad_search_is_estimated_on_postgresql_and_its_interval_holds_the_count(
    large: Cxgap,
) -> None:
    postgres = large.engine.dialect.name == "postgresql"
    with large.reading() as session:
        workspace = get_workspace(session, "acme")
        for search, broad in SEARCHES.items():
            # With a topic, the sample's records are tested row by row (feedback_filters).
            for extra in ({}, {"source": "survey"}, {"topic": _commonest_topic(large)}):
                params = {"q": search, **extra}
                filters = parse_filters(params)
                page = explore(session, workspace, filters)
                exact = explore(session, workspace, replace(filters, exact=True))
                want = _matching(large, search, **extra)
                assert exact.estimate is None and exact.total == want, params
                if not (postgres and broad):  # SQLite, or a selective search: read whole
                    assert page.estimate is None and page.total == want, params
                    continue
                e = page.estimate
                assert e is not None, params
                assert e.low <= want <= e.high, (params, e, want)
                assert page.total == e.kept and e.low < e.high, params
                # A sample, not the whole: fewer records read than the workspace holds, and
                # every count of the page scaled by the same factor.
                assert 0 < e.sampled < ITEMS and e.factor > 1, e
                assert sum(c.count or 0 for c in page.facets["source"]) == pytest.approx(
                    e.kept, abs=5
                )
        # The search's first and last dates, read from its matches on PostgreSQL.
        for search in ("delivery", "sunday", "zzz"):
            pattern = re.compile(search_pattern(search))
            query = select(Feedback.collected_at, Feedback.text)
            dates = [
                as_aware(at)
                for at, t in session.execute(query.where(Feedback.workspace_id == workspace.id))
                if pattern.search(t)
            ]
            bounds = date_bounds(session, workspace.id, FeedbackFilter(search=search))
            assert bounds == ((min(dates), max(dates)) if dates else None), search


def test_every_listening_view_is_estimated_from_the_same_sample(large: Cxgap) -> None:
    if large.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite reads every search whole")
    with large.reading() as session:
        workspace = get_workspace(session, "acme")
        filters = parse_filters({"q": "delivery"})
        topics = topics_view(session, workspace, filters)
        trends = trends_view(session, workspace, filters, grain="month", min_group_size=5)
        drivers = drivers_view(session, workspace, filters, level="topic", min_group_size=5)
        first = explore(session, workspace, filters).estimate
        assert first is not None
        assert topics.estimate == trends.estimate == drivers.estimate == first
        exact = topics_view(session, workspace, replace(filters, exact=True))
        sampled = {s.topic_key: s.mentions for s in topics.topics}
        whole = {s.topic_key: s.mentions for s in exact.topics}
        assert exact.estimate is None and sampled.keys() <= whole.keys()
        # The sample's mentions are a part of the whole's, about a third of it.
        assert all(sampled[k] <= whole[k] for k in sampled)
        assert sum(whole.values()) > 2 * sum(sampled.values()) > 0


def test_the_pages_say_it_is_an_estimate_and_give_the_exact_figures(large: Cxgap) -> None:
    want = _matching(large, "delivery")
    client = TestClient(app_for(large))
    log_in(client, "cx@example.com")
    if large.engine.dialect.name != "postgresql":  # SQLite: exact, as before
        page = client.get("/w/acme/listening?q=delivery&lang=en").text
        assert "Estimated from" not in page and f"{want:,} verbatims" in page
        return
    for path in ("", "/topics", "/trends", "/drivers"):
        en = client.get(f"/w/acme/listening{path}?q=delivery&lang=en")
        assert en.status_code == 200, en.text
        assert "Estimated from a sample" in en.text and "Exact figures" in en.text, path
        assert "95\u00a0% interval" in en.text, path
        fr = html.unescape(client.get(f"/w/acme/listening{path}?q=delivery&lang=fr").text)
        assert "Estimation d'après un échantillon" in fr and "Chiffres exacts" in fr, path
        assert "intervalle à 95\u00a0%" in fr, path
        # Asked for the exact figures before a job stored them: the estimate still (every
        # match is never read in a request), and the button that queues the job
        # (tests/web/test_listening_exact_pages.py).
        exact = client.get(f"/w/acme/listening{path}?q=delivery&exact=1&lang=en")
        assert "Estimated from a sample" in exact.text, path
        assert "/w/acme/listening/exact?" in exact.text, path
        assert "exact=1" in exact.text  # the other pages' links keep the exact figures
    exact = client.get("/w/acme/listening?q=delivery&exact=1&lang=en")
    # not the exact count as such (the estimate may round to it: "≈ 691" for 691 when the
    # sampled pages, which depend on where earlier tests left free space, fall that way)
    assert f"{want:,} verbatims" not in exact.text.replace(f"≈ {want:,} verbatims", "")
    assert "≈" in client.get("/w/acme/listening?q=delivery&lang=en").text
    assert client.get("/w/acme/listening?q=zzz&lang=en").text.count("Estimated from") == 0
    assert client.get("/w/acme/listening?q=delivery&exact=2").status_code == 422


def test_the_interval_covers_the_count_about_95_times_in_100() -> None:
    """The estimate's arithmetic on simulated pages whose records are alike within a page
    (the case a per-record interval gets wrong): 1,000 samples of 60 pages out of 3,000."""
    rng = random.Random(11)
    population = []
    for _ in range(3_000):
        records = rng.randint(20, 80)
        rate = rng.choice((0.02, 0.1, 0.5))  # pages of one import are alike
        population.append((records, sum(rng.random() < rate for _ in range(records))))
    total = sum(r for r, _ in population)
    kept = sum(k for _, k in population)
    covered = 0
    for _ in range(1_000):
        pages = tuple((r, k, k) for r, k in rng.sample(population, 60))
        e = estimate(PageSample(2.0, total, pages, ()))
        covered += e.low <= kept <= e.high
    assert 930 <= covered <= 985, covered


def test_a_search_table_without_statistics_is_sampled_not_guessed(large: Cxgap) -> None:
    """A search table filled in bulk (a migration, an import's job) has no statistics until
    analysed: the planner then guesses a handful of matches, and a broad search would be
    read whole on every page (59-132 s at 10 M). It is sampled instead; analysed, the
    planner's estimate is read again."""
    if large.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite reads every search whole")
    with large.transaction() as session:
        session.execute(
            text("DELETE FROM pg_statistic WHERE starelid = CAST('feedback_search' AS regclass)")
        )
    with large.reading() as session:
        workspace = get_workspace(session, "acme")
        assert not search_index.has_statistics(session)
        assert planned_matches(session, workspace.id, "delivery") == math.inf
        assert explore(session, workspace, parse_filters({"q": "delivery"})).estimate is not None
    with large.transaction() as session:
        search_index.analyze(session)
    with large.reading() as session:
        workspace = get_workspace(session, "acme")
        assert search_index.has_statistics(session)
        assert planned_matches(session, workspace.id, "zzz") < search_estimate.BROAD / 2
        assert explore(session, workspace, parse_filters({"q": "delivery"})).estimate is not None
