"""Segment rules: parsing with clear errors, and evaluation on known records."""

from __future__ import annotations

import pytest

from cxgap.analytics.segment_rules import (
    And,
    Comparison,
    Not,
    Or,
    evaluate,
    generation_key,
    parse_rule,
)
from cxgap.errors import SegmentRuleError

GEN_X_PRO = {"birth_year": 1972, "segment": "pro", "nps": 8}
GEN_Y_BUYER = {"birth_year": 1990, "segment": "busy_family", "nps": 3, "stars": 2}
NO_YEAR = {"generation": "Gen X", "segment": "PRO ", "channel": "web"}


def test_the_examples_of_the_issue_parse_to_the_expected_tree() -> None:
    rule = parse_rule('generation = "Gen X" and segment = "pro"')
    assert rule.node == And(
        (Comparison("generation", "=", ("gen_x",)), Comparison("segment", "=", ("pro",)))
    )
    rule = parse_rule('channel in ("web", "app") or not stars >= 4')
    assert rule.node == Or(
        (Comparison("channel", "in", ("web", "app")), Not(Comparison("stars", ">=", (4.0,))))
    )
    assert parse_rule("birth_year >= 1981 and nps <= 6").fields == {"birth_year", "nps"}


@pytest.mark.parametrize(
    ("text", "matches"),
    [
        ('generation = "Gen X" and segment = "pro"', [True, False, True]),
        ("birth_year >= 1981 and nps <= 6", [False, True, False]),
        ('channel in ("web", "app") or not stars >= 4', [True, True, True]),
        ("stars >= 4", [False, False, False]),
        # a missing value never matches, so "not" of it does
        ("not stars >= 4", [True, True, True]),
        ("nps != 8", [False, True, False]),
        ('segment not in ("pro")', [False, True, False]),
        ('generation in ("Millennials", "gen z")', [False, True, False]),
        ("(nps >= 7 or nps <= 3) and not (segment = 'pro')", [False, True, False]),
        ("NPS >= 0 AND Segment = 'pro'", [True, False, False]),
    ],
)
def test_rules_select_the_expected_records(text: str, matches: list[bool]) -> None:
    rule = parse_rule(text)
    assert [evaluate(rule, r) for r in (GEN_X_PRO, GEN_Y_BUYER, NO_YEAR)] == matches


def test_birth_year_wins_over_the_written_generation_and_text_numbers_are_read() -> None:
    rule = parse_rule('generation = "Baby boomers"')
    assert evaluate(rule, {"birth_year": "1950", "generation": "Gen X"})
    assert not evaluate(rule, {"birth_year": "n/a", "generation": "Gen X"})
    assert evaluate(parse_rule("region_code >= 75"), {"region_code": " 75 "})
    assert not evaluate(parse_rule("region_code >= 75"), {"region_code": "75e"})


def test_generation_spellings_name_one_cohort() -> None:
    names = ["Gen X", "generation x", "Génération X", "gen_x", "GEN  X"]
    assert {generation_key(name) for name in names} == {"gen_x"}
    assert generation_key("Gen Y") == generation_key("Millennials") == "millennials"
    assert generation_key("Gen Q") is None


@pytest.mark.parametrize(
    ("text", "position", "words"),
    [
        ("", 1, "empty"),
        ("nps >=", 7, "expected a value after '>=', found the end"),
        ('nps >= "high"', 5, "'>=' compares numbers; 'high' is text"),
        ('nps = "high"', 5, "nps is a number"),
        ('channel < "b"', 9, "'<' compares numbers"),
        ("segment >= 3", 9, "segment is text"),
        ("(nps > 3", 9, "expected ')' to close the '(' at position 1"),
        ("nps ~ 3", 5, "unexpected character '~'"),
        ('generation = "Gen Q"', 12, "unknown generation 'Gen Q'"),
        ("nps = 3 segment = 'a'", 9, "found 'segment'"),
        ("= 3", 1, "expected a name such as nps or generation, found '='"),
        ("nps in 3", 8, "expected '(' after 'in', found '3'"),
        ("nps in (1, )", 12, "expected a value after ','"),
        ("nps is 3", 5, "expected =, !=, <, <=, >, >= or in after 'nps', found 'is'"),
        ('segment = "pro', 11, "unexpected character '\"'"),
    ],
)
def test_bad_rules_are_refused_with_position_and_token(
    text: str, position: int, words: str
) -> None:
    with pytest.raises(SegmentRuleError) as caught:
        parse_rule(text)
    (problem,) = caught.value.problems
    assert problem.field == "rule"
    assert problem.message.startswith(f"position {position}: ")
    assert words in problem.message


def test_quotes_are_escaped_by_doubling() -> None:
    rule = parse_rule('shop = \'L\'\'Isle\' or shop = "say ""hi"""')
    assert rule.node == Or(
        (Comparison("shop", "=", ("L'Isle",)), Comparison("shop", "=", ('say "hi"',)))
    )
