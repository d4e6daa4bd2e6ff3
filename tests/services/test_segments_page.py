"""The segments page's use cases: members now per segment (both targets, one query each),
the personas standing for each, adding and editing a segment with every problem reported at
once and nothing stored, previewing a rule's counts without storing it."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap.analytics.segment_rules import evaluate, parse_rule
from cxgap.db.tables import CustomerResponse, PersonaRow, Segment, Workspace
from cxgap.errors import NotFoundError, SegmentRuleError, ValidationError
from cxgap.services.core import Cxgap
from cxgap.services.segments import (
    create_segment,
    preview_rule,
    rule_location,
    segment_summaries,
    set_segment_rule,
    update_segment,
)
from cxgap.services.workspaces import get_workspace
from tests.enrichment_factory import add_feedback
from tests.factories import make_workspace

# (segment attribute, birth year, nps) of each feedback item; answers below.
FEEDBACK = [("pro", "1972", 9), ("pro", "1990", 3), ("home", "1985", 6), (None, "1950", 2)]
ANSWERS = [
    ("pro", 1970, 9),
    ("home", 1992, 4),
    ("home", 1960, 10),
    (None, 1988, 1),
    ("pro", 1999, 0),
]


@pytest.fixture
def acme(cx: Cxgap) -> Cxgap:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        other = make_workspace(session, key="other", name="Other")
        for ws in (workspace, other):  # the other workspace's rows must never count
            for i, (segment, year, nps) in enumerate(FEEDBACK):
                attributes = {"birth_year": year, **({"segment": segment} if segment else {})}
                add_feedback(session, ws, f"text {i}", nps=nps, attributes=attributes)
            for i, (segment, year, nps) in enumerate(ANSWERS):
                session.add(
                    CustomerResponse(
                        workspace_id=ws.id, source="demo", external_id=f"r{i}",
                        birth_year=year, segment_key=segment, nps=nps,
                    )
                )  # fmt: skip
        for key, name, segment in [("zoe", "Zoé", "pro"), ("al", "Al", "pro"), ("hu", "Hu", None)]:
            session.add(
                PersonaRow(workspace_id=workspace.id, key=key, name=name, segment_key=segment)
            )
        session.add(PersonaRow(workspace_id=other.id, key="x", name="Other's", segment_key="home"))
    return cx


def _expected(rule_text: str) -> tuple[int, int]:
    rule = parse_rule(rule_text)
    feedback = sum(
        evaluate(rule, {"segment": s, "birth_year": y, "nps": n}) for s, y, n in FEEDBACK
    )
    answers = sum(evaluate(rule, {"segment": s, "birth_year": y, "nps": n}) for s, y, n in ANSWERS)
    return feedback, answers


def _revision(session: Session) -> int:
    return get_workspace(session, "acme").data_revision


def test_summaries_count_members_now_and_list_personas(acme: Cxgap) -> None:
    with acme.transaction() as session:
        workspace = get_workspace(session, "acme")
        set_segment_rule(session, workspace=workspace, key="home", rule="birth_year >= 1981")
    with acme.reading() as session:
        workspace = get_workspace(session, "acme")
        rows = segment_summaries(session, workspace)
        only = segment_summaries(session, workspace, only="home")
        with pytest.raises(NotFoundError):
            segment_summaries(session, workspace, only="nobody")
    assert [r.segment.key for r in rows] == ["pro", "home"]
    pro, home = rows
    assert (pro.counts.feedback, pro.counts.answers) == _expected('segment = "pro"') == (2, 2)
    assert (home.counts.feedback, home.counts.answers) == _expected("birth_year >= 1981") == (2, 3)
    assert pro.personas == (("al", "Al"), ("zoe", "Zoé"))
    assert home.personas == ()
    assert [(r.segment.key, r.counts) for r in only] == [("home", home.counts)]


def test_preview_gives_the_counts_a_rule_would_give_and_stores_nothing(acme: Cxgap) -> None:
    with acme.reading() as session:
        workspace = get_workspace(session, "acme")
        before = _revision(session)
        parsed, counts = preview_rule(
            session, workspace=workspace, key="pro", rule="nps <= 6 and birth_year < 1995"
        )
        assert parsed.text == "nps <= 6 and birth_year < 1995"
        assert (counts.feedback, counts.answers) == _expected(parsed.text) == (3, 2)
        default, counts = preview_rule(session, workspace=workspace, key="home", rule="  ")
        assert default.text == 'segment = "home"'
        assert (counts.feedback, counts.answers) == (1, 2)
        with pytest.raises(SegmentRuleError) as refused:
            preview_rule(session, workspace=workspace, key="pro", rule="nps <= 6 and")
        assert rule_location(refused.value) == (
            13,
            "expected a name such as nps or generation, found the end of the rule",
        )
        assert _revision(session) == before
    with acme.reading() as session:
        assert session.scalar(select(Segment.rule).where(Segment.key == "pro")) is None


def test_create_validates_everything_at_once_and_stores_nothing_when_refused(
    acme: Cxgap,
) -> None:
    with acme.transaction() as session:
        workspace = get_workspace(session, "acme")
        before = _revision(session)
        with pytest.raises(ValidationError) as refused:
            create_segment(
                session, workspace=workspace, key="Big Spenders", name_en=" ", name_fr="x" * 201,
                rule='nps >= 9 and segment = "pro',
            )  # fmt: skip
        fields = [(p.field, p.code) for p in refused.value.problems]
        assert fields == [
            ("segment_key", "key_format"),
            ("name_en", "required"),
            ("name_fr", "too_long"),
            ("rule", "format"),
        ]
        assert rule_location(refused.value)[0] == 24
        with pytest.raises(ValidationError, match="already a segment"):
            create_segment(session, workspace=workspace, key="pro", name_en="P", name_fr="P")
        assert _revision(session) == before
        assert [s.key for s in _segments(session, workspace)] == ["pro", "home"]
        row = create_segment(
            session, workspace=workspace, key=" big-spenders_2 ", name_en="Big  spenders",
            name_fr="Gros clients", rule=" nps >= 9 ",
        )  # fmt: skip
        assert (row.key, row.name_en, row.rule) == ("big-spenders_2", "Big spenders", "nps >= 9")
        assert _revision(session) == before + 1
    with acme.reading() as session:
        rows = segment_summaries(session, get_workspace(session, "acme"))
    assert [r.segment.key for r in rows] == ["pro", "home", "big-spenders_2"]
    assert (rows[2].counts.feedback, rows[2].counts.answers) == _expected("nps >= 9") == (1, 2)


def test_update_renames_and_sets_the_rule_or_refuses_without_storing(acme: Cxgap) -> None:
    with acme.transaction() as session:
        workspace = get_workspace(session, "acme")
        before = _revision(session)
        with pytest.raises(ValidationError) as refused:
            update_segment(
                session, workspace=workspace, key="pro", name_en="Pros", name_fr="Pros",
                rule="nps >> 3",
            )  # fmt: skip
        assert [p.field for p in refused.value.problems] == ["rule"]
        assert _revision(session) == before
        row = _segments(session, workspace)[0]
        assert (row.name_en, row.rule) == ("Professionals", None)
        update_segment(
            session, workspace=workspace, key="pro", name_en=" Pros ", name_fr="Les pros",
            rule="nps >= 9",
        )  # fmt: skip
        assert _revision(session) == before + 1
        update_segment(
            session, workspace=workspace, key="pro", name_en="Pros", name_fr="Pros", rule="nps >= 9"
        )
        assert _revision(session) == before + 1  # a rename alone changes no figure
        update_segment(session, workspace=workspace, key="pro", name_en="P", name_fr="P", rule="")
        assert _revision(session) == before + 2
        with pytest.raises(NotFoundError):
            update_segment(
                session, workspace=workspace, key="nobody", name_en="N", name_fr="N", rule=""
            )
    with acme.reading() as session:
        stored = session.execute(
            select(Segment.name_en, Segment.name_fr, Segment.rule).where(Segment.key == "pro")
        ).all()
    assert {tuple(r) for r in stored} == {
        ("P", "P", None),
        ("Professionals", "Professionnels", None),
    }


def _segments(session: Session, workspace: Workspace) -> list[Segment]:
    query = select(Segment).where(Segment.workspace_id == workspace.id).order_by(Segment.position)
    return list(session.scalars(query))
