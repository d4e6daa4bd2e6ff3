"""The Listening services on SQLite and PostgreSQL: filters, pages, facets, topics, trends,
drivers, computed in the database from the rows the enrichment writes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session

from cxgap.errors import ValidationError
from cxgap.journeys.model import Persona
from cxgap.services.core import Cxgap
from cxgap.services.journeys import create_persona
from cxgap.services.listening import (
    PAGE_SIZE,
    explore,
    highlight,
    parse_filters,
)
from cxgap.services.listening_insights import drivers_view, topics_view, trends_view
from cxgap.services.segments import set_segment_rule
from cxgap.services.workspaces import get_workspace
from tests.factories import make_workspace
from tests.listening_factories import (
    CLAUSES,
    add_feedback,
    compose,
    enrich,
    make_listening_sample,
    make_topics,
)
from tests.prepared import Prepared

JAN = datetime(2026, 1, 10, 9, 30, tzinfo=UTC)


def _clause(start: str) -> tuple[str, str, str, float, float, str | None]:
    return next(c for c in CLAUSES if c[0].startswith(start))


def _sample(session: Session) -> None:
    workspace = make_workspace(session)
    make_topics(session, workspace)
    make_listening_sample(session, workspace, n=120)


@pytest.fixture
def sample(cx: Cxgap, prepared: Prepared) -> Cxgap:
    """120 verbatims, written once per session and backend and copied for each test."""
    prepared.into(cx, "listening-sample-120", _sample)
    return cx


def test_explorer_pages_newest_first_with_highlighted_findings(sample: Cxgap) -> None:
    with sample.reading() as session:
        workspace = get_workspace(session, "acme")
        first = explore(session, workspace, parse_filters({}))
        assert first.total == 120 and len(first.verbatims) == PAGE_SIZE
        dates = [v.row.collected_at for v in first.verbatims]
        assert dates == sorted(dates, reverse=True)
        assert first.next_cursor is not None
        second = explore(session, workspace, parse_filters({}), after=first.next_cursor)
        third = explore(session, workspace, parse_filters({}), after=second.next_cursor)
        ids = [v.row.id for page in (first, second, third) for v in page.verbatims]
        assert len(ids) == 120 == len(set(ids)) and third.next_cursor is None
        verbatim = first.verbatims[0]
        assert "".join(span.text for span in verbatim.spans) == verbatim.row.text
        assert any(span.is_finding for span in verbatim.spans)
        assert sum(choice.count or 0 for choice in first.facets["language"]) == 120
        assert {choice.value for choice in first.facets["sentiment"]} <= {
            "positive",
            "neutral",
            "negative",
        }


def test_filters_combine_and_search_ignores_case_and_accents(cx: Cxgap) -> None:
    cx.upgrade()
    with cx.transaction() as session:
        workspace = make_workspace(session)
        make_topics(session, workspace)
        texts = [
            compose([_clause("le délai d'attente")], " "),
            compose([_clause("The delivery took"), _clause("staff at the")], " but "),
            compose([_clause("the price is fair")], " "),
        ]
        for index, verbatim in enumerate(texts):
            add_feedback(
                session,
                workspace,
                verbatim.text,
                collected_at=JAN.replace(day=10 + index),
                source_type=("ticket", "review", "survey")[index],
                segment=("pro", "home", "pro")[index],
                touchpoint="delivery" if index == 2 else None,
            )
            enrich(session, workspace, verbatim)
        add_feedback(session, workspace, "Not enriched yet", collected_at=JAN)

        def texts_for(**params: str) -> list[str]:
            page = explore(session, workspace, parse_filters(params), with_facets=False)
            return [v.row.text for v in page.verbatims]

        assert texts_for(q="DELAI") == ["Le délai d'attente au SAV est interminable."]
        assert texts_for(q="delai d’attente") == ["Le délai d'attente au SAV est interminable."]
        assert texts_for(topic="staff") == [texts[1].text]
        assert texts_for(pillar="friction") == [texts[1].text, texts[0].text]
        assert texts_for(pillar="friction", sentiment="negative") == [texts[0].text]
        assert texts_for(touchpoint="delivery") == [texts[2].text, texts[1].text]
        assert texts_for(segment="pro") == [texts[2].text, texts[0].text]
        assert texts_for(source="ticket", language="fr") == [texts[0].text]
        assert texts_for(**{"from": "2026-01-11", "to": "2026-01-11"}) == [texts[1].text]
        assert len(texts_for()) == 4


def test_a_persona_filters_through_its_segment_rule(cx: Cxgap) -> None:
    """One definition of a segment for every screen: the persona's figures are those of the
    customers its segment's rule selects, not of a separate notion of the screen's own."""
    cx.upgrade()
    with cx.transaction() as session:
        workspace = make_workspace(session)
        make_topics(session, workspace)
        set_segment_rule(
            session, workspace=workspace, key="pro", rule='segment = "pro" or stars <= 2'
        )
        create_persona(
            session, workspace=workspace, persona=Persona(key="lea", name="Léa", segment="pro")
        )
        create_persona(session, workspace=workspace, persona=Persona(key="tom", name="Tom"))
        verbatims = [compose([_clause(c)], " ") for c in ("the price is fair", "staff at the")]
        for index, (segment, stars) in enumerate((("pro", 5), ("home", 1), ("home", 5))):
            verbatim = verbatims[index % 2]
            add_feedback(
                session,
                workspace,
                f"{verbatim.text} #{index}",
                collected_at=JAN.replace(day=10 + index),
                segment=segment,
                stars=stars,
            )

        def count(**params: str) -> int:
            page = explore(session, workspace, parse_filters(params), with_facets=False)
            return len(page.verbatims)

        assert count() == 3
        assert count(segment="pro") == count(persona="lea") == 2  # "pro", or one star
        assert count(segment="home") == 2
        assert count(persona="lea", segment="home") == 1
        for params, field in (({"persona": "tom"}, "persona"), ({"segment": "nope"}, "segment")):
            with pytest.raises(ValidationError) as caught:
                count(**params)
            assert caught.value.problems[0].field == field


def test_bad_filters_are_refused_naming_the_field() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_filters({"sentiment": "angry", "from": "yesterday"})
    assert [p.field for p in caught.value.problems] == ["sentiment", "from"]


def test_highlight_merges_topics_of_a_clause_and_survives_bad_offsets() -> None:
    from cxgap.db.listening_queries import FindingRow

    text = "Staff were lovely but delivery took three weeks."
    findings = [
        FindingRow(0, 17, "positive", 0.8, 0.6, "staff"),
        FindingRow(22, 47, "negative", -0.7, 0.6, "delivery"),
        FindingRow(22, 47, "negative", -0.7, 0.6, "waiting_time"),
        FindingRow(40, 400, "negative", -0.1, 0.1, None),
    ]
    spans = highlight(text, findings)
    assert "".join(s.text for s in spans) == text
    assert [(s.text, s.sentiment, s.topics) for s in spans if s.is_finding] == [
        ("Staff were lovely", "positive", ("staff",)),
        ("delivery took three weeks", "negative", ("delivery", "waiting_time")),
        (".", "negative", ()),
    ]


def test_topics_irritants_trends_and_drivers(sample: Cxgap) -> None:
    with sample.reading() as session:
        workspace = get_workspace(session, "acme")
        view = topics_view(session, workspace, parse_filters({}))
        assert view.periods[0] == "2026-01-01" and len(view.periods) == 5
        mentions = {t.topic_key: t for t in view.topics}
        assert (
            sum(p.mentions for p in mentions["delivery"].periods) == mentions["delivery"].mentions
        )
        assert view.irritants and all(i.irritant.stats.negative for i in view.irritants)
        top = view.irritants[0]
        assert 1 <= len(top.examples) <= 3
        assert all(e.score is not None and e.score < 0 for e in top.examples)
        tickets = topics_view(session, workspace, parse_filters({"source": "ticket"}))
        examples = [e for item in tickets.irritants for e in item.examples]
        assert examples and {e.source_type for e in examples} == {"ticket"}

        trends = trends_view(
            session, workspace, parse_filters({}), grain="month", min_group_size=10
        )
        nps = trends.series[0]
        assert nps.total == 120 and len(nps.points) == 5
        assert all(p.suppressed == (p.n < 10) for p in nps.points)

        drivers = drivers_view(
            session, workspace, parse_filters({}), level="topic", min_group_size=30, bootstrap=20
        )
        assert drivers.outcome == "nps" and drivers.n == 120 and drivers.analysis is not None
        total = sum(d.weight for d in drivers.analysis.drivers)
        assert total == pytest.approx(drivers.analysis.r_squared)
        pillars = drivers_view(
            session, workspace, parse_filters({}), level="pillar", min_group_size=30, bootstrap=0
        )
        assert pillars.analysis is not None
        assert {d.name for d in pillars.analysis.drivers} <= {
            "friction",
            "products",
            "service",
            "representatives",
            "communication",
            "digital",
        }
