"""Segment filters: the SQL condition selects exactly what the rule evaluator selects, on
SQLite and PostgreSQL, for feedback and for survey answers."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cxgap.analytics.segment_rules import evaluate, parse_rule
from cxgap.db.tables import CustomerResponse, Feedback, Segment
from cxgap.errors import NotFoundError, SegmentRuleError
from cxgap.services.core import Cxgap
from cxgap.services.segments import (
    compile_rule,
    segment_filter,
    segment_rule,
    set_segment_rule,
)
from cxgap.services.workspaces import add_segments, get_workspace
from tests.enrichment_factory import add_feedback
from tests.factories import make_workspace

PEOPLE: list[dict[str, object]] = [
    {"birth_year": "1972", "segment": "pro", "generation": "Gen X", "_nps": 9, "_channel": "web"},
    {"birth_year": "1990", "segment": "busy_family", "_nps": 3, "_stars": 2, "_channel": "app"},
    {"generation": "Génération X", "segment": " PRO", "_nps": 6, "_channel": "shop"},
    {"birth_year": "n/a", "generation": "boomers", "_stars": 5},
    {"birth_year": "1950", "region": "75", "_nps": 10, "_stars": 4, "_channel": "web"},
    {},
]
RULES = [
    'generation = "Gen X" and segment = "pro"',
    "birth_year >= 1981 and nps <= 6",
    'channel in ("web", "app") or not stars >= 4',
    'generation = "Baby boomers"',
    "region >= 70",
    'region = 75 or segment != "pro"',
    'not segment not in ("pro", "busy_family")',
    "nps > 5 and (stars = 4 or birth_year < 1980)",
]


def _record(person: dict[str, object]) -> dict[str, object]:
    """How the evaluator sees a feedback row: its columns plus its attributes."""
    record = {k: v for k, v in person.items() if not k.startswith("_")}
    record.update({k[1:]: v for k, v in person.items() if k.startswith("_")})
    return record


@pytest.fixture
def people(cx: Cxgap) -> Cxgap:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        for i, person in enumerate(PEOPLE):
            add_feedback(
                session,
                workspace,
                f"text {i}",
                nps=person.get("_nps"),  # type: ignore[arg-type]
                stars=person.get("_stars"),  # type: ignore[arg-type]
                channel=person.get("_channel"),  # type: ignore[arg-type]
                attributes={k: str(v) for k, v in person.items() if not k.startswith("_")},
            )
    return cx


@pytest.mark.parametrize("text", RULES)
def test_sql_selects_what_the_evaluator_selects(people: Cxgap, text: str) -> None:
    rule = parse_rule(text)
    expected = [i for i, person in enumerate(PEOPLE) if evaluate(rule, _record(person))]
    with people.reading() as session:
        found = session.scalars(
            select(Feedback.text).where(compile_rule(rule)).order_by(Feedback.id)
        ).all()
    assert [int(t.split()[1]) for t in found] == expected
    assert expected, "each rule should select someone, or the test proves little"


def test_segments_without_rule_match_their_key_and_rules_are_validated(cx: Cxgap) -> None:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        add_segments(session, workspace=workspace, segments=[("pro", "Pros", "Pros")])
        for i, (year, seg, nps) in enumerate([(1970, "pro", 9), (1990, None, 2), (1995, "pro", 5)]):
            session.add(
                CustomerResponse(
                    workspace_id=workspace.id, source="demo", external_id=f"r{i}",
                    birth_year=year, segment_key=seg, nps=nps,
                )
            )  # fmt: skip
    with cx.transaction() as session:
        workspace = get_workspace(session, "acme")
        assert segment_rule(session, workspace=workspace, key="pro").text == 'segment = "pro"'
        by_key = segment_filter(session, workspace=workspace, segment="pro", target="answers")
        assert _answers(session, by_key) == ["r0", "r2"]
        set_segment_rule(session, workspace=workspace, key="pro", rule=" birth_year >= 1981 ")
        by_rule = segment_filter(session, workspace=workspace, segment="pro", target="answers")
        assert _answers(session, by_rule) == ["r1", "r2"]
        everyone = segment_filter(session, workspace=workspace, segment=None, target="answers")
        assert _answers(session, everyone) == ["r0", "r1", "r2"]
        with pytest.raises(SegmentRuleError, match="position 13"):
            set_segment_rule(session, workspace=workspace, key="pro", rule="birth_year >")
        with pytest.raises(NotFoundError):
            segment_filter(session, workspace=workspace, segment="nobody")
    with cx.reading() as session:
        stored = session.scalar(select(Segment.rule).where(Segment.key == "pro"))
    assert stored == "birth_year >= 1981"


def _answers(session: object, condition: object) -> list[str]:
    query = select(CustomerResponse.external_id).where(condition).order_by(CustomerResponse.id)  # type: ignore[arg-type]
    return list(session.scalars(query))  # type: ignore[attr-defined]
