"""The check of an unsaved rule (``services.rule_check``, ``db.rule_counts``): exact and
equal to the rule evaluated record by record (``segment_rules.evaluate``) when the rows
answer within the budget; past it, an interval from a random sample of ids that holds the
true count; a count cut off at its deadline leaves the transaction usable, on SQLite and
PostgreSQL."""

from __future__ import annotations

import random
import time

import pytest
from sqlalchemy import func, literal, select, text

from cxgap.analytics.segment_rules import evaluate, parse_rule
from cxgap.db import rule_counts
from cxgap.db.segment_sql import compile_rule
from cxgap.db.tables import Workspace
from cxgap.services import rule_check
from cxgap.services.core import Cxgap
from cxgap.services.segments import preview_rule
from cxgap.services.workspaces import get_workspace
from tests.enrichment_factory import add_feedback
from tests.factories import make_workspace

Record = dict[str, object]


def _records(n: int, seed: int) -> list[Record]:
    rng = random.Random(seed)
    return [
        {
            "nps": rng.choice([None, *range(11)]),
            "segment": rng.choice([None, "pro", "home", "Pro "]),
            "birth_year": rng.choice([None, "n/a", *map(str, range(1940, 2006, 3))]),
            "channel": rng.choice([None, "email", "chat"]),
        }
        for _ in range(n)
    ]


def _comparison(rng: random.Random) -> str:
    field = rng.choice(["nps", "segment", "birth_year", "channel", "generation"])
    if field == "nps":
        return f"nps {rng.choice(['<', '<=', '>', '>=', '=', '!='])} {rng.randint(0, 10)}"
    if field == "birth_year":
        return f"birth_year {rng.choice(['<', '>=', '='])} {rng.choice(range(1940, 2006, 3))}"
    if field == "segment":
        return rng.choice(['segment = "pro"', 'segment != "home"', 'segment in ("pro", "home")'])
    if field == "channel":
        return rng.choice(['channel = "email"', 'channel not in ("chat")'])
    return rng.choice(['generation = "Gen X"', 'generation = "boomers"'])


def _random_rule(rng: random.Random, depth: int = 2) -> str:
    if depth == 0 or rng.random() < 0.3:
        return _comparison(rng)
    joined = f" {rng.choice(['and', 'or'])} ".join(
        _random_rule(rng, depth - 1) for _ in range(rng.randint(2, 3))
    )
    return f"not ({joined})" if rng.random() < 0.2 else f"({joined})"


def _fill(cx: Cxgap, records: list[Record]) -> None:
    """Workspace ``acme`` with ``records``, its ids interleaved with another workspace's (the
    sample's span holds ids that are not acme's: they must never count)."""
    with cx.transaction() as session:
        acme, other = make_workspace(session), make_workspace(session, key="o", name="O")
        for i, record in enumerate(records):
            for workspace in (acme, other):
                attributes = {k: str(record[k]) for k in ("segment", "birth_year") if record[k]}
                add_feedback(
                    session, workspace, f"t{i}", nps=record["nps"],  # type: ignore[arg-type]
                    channel=record["channel"], attributes=attributes,  # type: ignore[arg-type]
                )  # fmt: skip


def _acme(cx: Cxgap) -> tuple[Workspace, int]:
    with cx.reading() as session:
        workspace = get_workspace(session, "acme")
        return workspace, workspace.id


def test_unsaved_rules_count_as_the_rule_evaluated_on_each_record(
    cx: Cxgap, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Time enough for the exact count on a machine however loaded: its deadline is tested
    # below, this test is about what is counted.
    monkeypatch.setattr(rule_check, "EXACT_BUDGET_S", 60.0)
    records = _records(120, seed=7)
    _fill(cx, records)
    rng = random.Random(11)
    rules = [_random_rule(rng) for _ in range(30)]
    matched = 0
    with cx.reading() as session:
        workspace = get_workspace(session, "acme")
        for rule in rules:
            expected = sum(evaluate(parse_rule(rule), record) for record in records)
            _, quick = preview_rule(session, workspace=workspace, key=None, rule=rule)
            _, exact = preview_rule(session, workspace=workspace, key=None, rule=rule, exact=True)
            assert quick.estimate is None, rule
            assert (quick.feedback, exact.feedback) == (expected, expected), rule
            matched += 0 < expected < len(records)
    assert matched >= 15  # the rules are not all trivially none or all


def test_past_the_budget_the_interval_holds_the_true_count(cx: Cxgap) -> None:
    records = _records(150, seed=3)
    _fill(cx, records)
    rng = random.Random(5)
    held = 0
    with cx.reading() as session:
        workspace_id = get_workspace(session, "acme").id
        for i in range(20):
            rule = parse_rule(_random_rule(rng))
            expected = sum(evaluate(rule, record) for record in records)
            count, estimate = rule_check.count_feedback(
                session, workspace_id, compile_rule(rule), budget_s=0, draws=600, seed=i
            )
            assert estimate is not None and estimate.drawn == 600
            assert estimate.low <= count <= estimate.high
            held += estimate.low <= expected <= estimate.high
    assert held >= 17  # a 95 % interval: 19 of 20 expected


def test_an_empty_workspace_is_exactly_none_even_past_the_budget(cx: Cxgap) -> None:
    with cx.transaction() as session:
        workspace_id = make_workspace(session).id
    with cx.reading() as session:
        counted = rule_check.count_feedback(
            session, workspace_id, compile_rule(parse_rule("nps >= 0")), budget_s=0
        )
    assert counted == (0, None)


def _endless() -> object:
    numbers = select(literal(1).label("x")).cte("numbers", recursive=True)
    numbers = numbers.union_all(select(numbers.c.x + 1).where(numbers.c.x < 2 * 10**9))
    return select(func.count()).select_from(numbers)


def test_a_count_past_its_deadline_is_cut_and_the_transaction_goes_on(cx: Cxgap) -> None:
    with cx.transaction() as session:
        before = session.scalar(text("SHOW statement_timeout")) if _pg(cx) else None
        started = time.monotonic()
        assert rule_counts.count_within(session, _endless(), 0.2) is None  # type: ignore[arg-type]
        assert time.monotonic() - started < 5
        assert rule_counts.count_within(session, select(func.count(literal(1))), 5) == 1
        if _pg(cx):  # the deadline was this count's only
            assert session.scalar(text("SHOW statement_timeout")) == before
        make_workspace(session)
    with cx.reading() as session:
        assert get_workspace(session, "acme").key == "acme"  # the write after it committed


def _pg(cx: Cxgap) -> bool:
    return cx.engine.dialect.name == "postgresql"


def test_the_sample_counts_only_the_workspaces_own_items(cx: Cxgap) -> None:
    """Every item matches ``not (nps = -1)``; the span holds as many ids of the other
    workspace, which never match: about half the draws hit, and the count is about 40."""
    _fill(cx, _records(40, seed=1))
    with cx.reading() as session:
        workspace_id = get_workspace(session, "o").id
        everyone = compile_rule(parse_rule("not (nps = -1)"))
        ids = rule_counts.id_range(session, workspace_id)
        assert ids is not None
        drawn = rule_counts.sample_matches(
            session, workspace_id, everyone, ids, draws=2_000, seed=2
        )
    assert drawn.span in (79, 80) and drawn.draws == 2_000
    assert 800 < drawn.matches < 1_200
    count, estimate = rule_check.estimate_of(drawn)
    assert estimate is not None and estimate.low <= 40 <= estimate.high and 30 < count < 50


def test_a_workspace_past_the_exact_span_is_sampled_at_once(
    cx: Cxgap, monkeypatch: pytest.MonkeyPatch
) -> None:
    """However long the budget, ids spanning ``TRY_EXACT_UP_TO`` or more are not counted on
    the rows (at 1 M and 10 M no rule ever was within the budget): the sample answers."""
    _fill(cx, _records(30, seed=4))
    monkeypatch.setattr(rule_check, "TRY_EXACT_UP_TO", 10)
    with cx.reading() as session:
        workspace_id = get_workspace(session, "acme").id
        rule = compile_rule(parse_rule("nps >= 0"))
        _, estimate = rule_check.count_feedback(session, workspace_id, rule, budget_s=60)
        assert estimate is not None and estimate.drawn == rule_check.SAMPLE_DRAWS
        monkeypatch.setattr(rule_check, "TRY_EXACT_UP_TO", 1_000)
        assert rule_check.count_feedback(session, workspace_id, rule, budget_s=60)[1] is None
