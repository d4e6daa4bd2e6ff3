"""Listening numbers a manager can trust, on SQLite and PostgreSQL: every NPS says where it
comes from (survey answers or imported feedback), and reviews with stars only get trends."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from cxgap.services.core import Cxgap
from cxgap.services.listening import parse_filters
from cxgap.services.listening_insights import drivers_view, trends_view
from cxgap.services.listening_sources import nps_sources
from cxgap.services.results import compute_results
from cxgap.services.workspaces import get_workspace
from tests.factories import make_workspace
from tests.listening_factories import CLAUSES, add_feedback, compose, enrich, make_topics
from tests.listening_week_factories import build_two_sources
from tests.prepared import Prepared

JAN = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)


@pytest.fixture
def two_sources(cx: Cxgap, prepared: Prepared) -> Cxgap:
    prepared.into(cx, "two-sources", build_two_sources)
    return cx


def test_nps_by_source_gives_each_source_its_interval_n_and_period(two_sources: Cxgap) -> None:
    with two_sources.reading() as session:
        workspace = get_workspace(session, "acme")
        sources = nps_sources(session, workspace, parse_filters({}), min_group_size=30)
        survey, feedback = sources.survey, sources.feedback
        # NPS = 100 × (40 − 30) / 100; Wald half-width 1.96 × √((.4 + .3 − .01) / 100) × 100
        assert survey.n == 100 and survey.score == pytest.approx(10.0)
        assert survey.ci == pytest.approx((10 - 16.2807, 10 + 16.2807), abs=1e-3)
        assert (survey.first, survey.last) == (date(2026, 1, 5), date(2026, 1, 24))
        # Imported: 30 promoters (20 reviews + 10 tickets), 80 detractors out of 110.
        assert feedback.n == 110 and feedback.score == pytest.approx(100 * (30 - 80) / 110)
        assert (feedback.first, feedback.last) == (date(2026, 3, 2), date(2026, 3, 29))
        by_source = {s.source_type: s for s in sources.by_source}
        assert by_source["review"].n == 100 and by_source["review"].score == pytest.approx(-60)
        # Ten tickets are too few for a figure: n and period only.
        assert by_source["ticket"].n == 10 and by_source["ticket"].score is None
        assert by_source["ticket"].ci is None and by_source["ticket"].first == date(2026, 3, 2)
        assert sources.comparable and sources.intervals_overlap is False
        assert sources.periods_overlap is False
        reviews_only = nps_sources(
            session, workspace, parse_filters({"source": "review"}), min_group_size=30
        )
        assert reviews_only.feedback.n == 100 and reviews_only.survey.n == 100
        overview = compute_results(session, workspace)
        assert overview["nps_period"] == {"first": "2026-01-05", "last": "2026-01-24"}


def test_reviews_with_stars_only_get_trends_of_stars_and_sentiment(cx: Cxgap) -> None:
    cx.upgrade()
    with cx.transaction() as session:
        workspace = make_workspace(session)
        make_topics(session, workspace)
        bad = compose([next(c for c in CLAUSES if c[0].startswith("The delivery took"))], ". ")
        good = compose([next(c for c in CLAUSES if c[0].startswith("staff at the"))], ". ")
        enrich(session, workspace, bad)
        enrich(session, workspace, good)
        # January: 30 reviews, 10 of them one star and negative, 20 five stars → mean 11/3.
        for index in range(30):
            verbatim, stars = (bad, 1) if index < 10 else (good, 5)
            add_feedback(
                session,
                workspace,
                verbatim.text,
                collected_at=JAN + timedelta(days=index % 20),
                source_id=f"jan-{index}",
                stars=stars,
            )
        # February: only 5 reviews (hidden); March: 30 reviews, all negative, two stars.
        for index in range(5):
            add_feedback(
                session,
                workspace,
                good.text,
                collected_at=datetime(2026, 2, 3, tzinfo=UTC),
                source_id=f"feb-{index}",
                stars=4,
            )
        for index in range(30):
            add_feedback(
                session,
                workspace,
                bad.text,
                collected_at=datetime(2026, 3, 3, tzinfo=UTC) + timedelta(days=index % 20),
                source_id=f"mar-{index}",
                stars=2,
            )
    with cx.reading() as session:
        workspace = get_workspace(session, "acme")
        view = trends_view(session, workspace, parse_filters({}), grain="month", min_group_size=30)
        assert [s.metric for s in view.shown] == ["stars", "negative"]
        assert view.missing == ["nps", "csat", "ces"]
        stars, negative = view.shown
        assert [p.value for p in stars.points] == [pytest.approx(110 / 30), None, 2.0]
        assert [p.n for p in stars.points] == [30, 5, 30]
        assert stars.points[1].suppressed and stars.points[1].ci is None
        assert [p.value for p in negative.points] == [pytest.approx(1 / 3), None, 1.0]
        # Wilson interval of 10 negative out of 30 (statsmodels proportion_confint, wilson):
        # (0.19233, 0.51225)
        assert negative.points[0].ci == pytest.approx((0.19233, 0.51225), abs=1e-4)


def test_drivers_carry_each_topics_share_of_negative_mentions(two_sources: Cxgap) -> None:
    with two_sources.reading() as session:
        workspace = get_workspace(session, "acme")
        view = drivers_view(
            session, workspace, parse_filters({}), level="topic", min_group_size=30, bootstrap=0
        )
        # 80 reviews "The delivery took three weeks" (negative, NPS 2); 30 "staff … lovely".
        assert view.mentions["delivery"] == 80 and view.negative_shares["delivery"] == 1.0
        assert view.mentions["staff"] == 30 and view.negative_shares["staff"] == 0.0
        assert "billing" not in view.negative_shares and view.mentions["billing"] == 0
        assert view.analysis is not None
        delivery = next(d for d in view.analysis.drivers if d.name == "delivery")
        assert delivery.direction == -1 and delivery.difference == pytest.approx(2 - 28 / 3)
        pillars = drivers_view(
            session, workspace, parse_filters({}), level="pillar", min_group_size=30, bootstrap=0
        )
        # Friction groups delivery and waiting time: 80 mentions, all negative.
        assert pillars.negative_shares["friction"] == 1.0 and pillars.mentions["friction"] == 80
