"""Segment rules: one written definition of a customer segment, shared by every screen.

Seed 003 asks for one definition of each segment across teams (billing and support must not
define "critical customer" differently). A rule is a small, safe expression over customer
attributes and survey answers::

    generation = "Gen X" and segment = "pro"
    birth_year >= 1981 and nps <= 6
    channel in ("web", "app") or not stars >= 4

Grammar (keywords are case-insensitive)::

    rule       := or
    or         := and ("or" and)*
    and        := not ("and" not)*
    not        := "not" not | "(" rule ")" | comparison
    comparison := NAME ("=" | "!=" | "<" | "<=" | ">" | ">=") VALUE
                | NAME ["not"] "in" "(" VALUE ("," VALUE)* ")"
    VALUE      := "text" | 'text' | NUMBER

Names: the scores ``nps``, ``csat``, ``ces``, ``stars`` and ``birth_year`` are numbers;
``generation``, ``segment``, ``channel``, ``touchpoint``, ``source`` and ``language`` are text;
any other name is a free attribute of imported feedback (a column kept at import). A value
that is missing never matches a comparison, so ``not nps >= 9`` matches only customers who
gave an NPS below 9 (two-valued logic: the database and Python agree).

``generation`` compares cohorts, not spellings: ``"Gen X"``, ``"Generation X"`` and
``"gen_x"`` name the same cohort, and a customer's cohort comes from their birth year when it
is known (``analytics.generations``), else from a ``generation`` attribute.

Nothing here touches a database: ``parse_rule`` gives a tree that ``evaluate`` runs on one
record and ``services.segments`` compiles to SQL.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from cxgap.analytics.generations import GENERATIONS, generation_of
from cxgap.errors import FieldProblem, SegmentRuleError

NUMERIC_FIELDS = frozenset({"nps", "csat", "ces", "stars", "birth_year"})
TEXT_FIELDS = frozenset({"generation", "segment", "channel", "touchpoint", "source", "language"})
ORDER_OPS = ("<", "<=", ">", ">=")
MAX_RULE = 2000
# Text read as a number (attributes are stored as text); services.segments matches it in SQL.
NUMBER_TEXT = re.compile(r"-?\d+(?:\.\d+)?")

Value = str | float

# Spellings of each cohort a person may write (lower case); the key itself is accepted too.
GENERATION_ALIASES: dict[str, str] = {
    **{g.key.replace("_", " "): g.key for g in GENERATIONS},
    **{g.key: g.key for g in GENERATIONS},
    **{g.name_en.lower(): g.key for g in GENERATIONS},
    **{g.name_fr.lower(): g.key for g in GENERATIONS},
    "silent": "silent",
    "baby boomer": "boomers",
    "baby boomers": "boomers",
    "baby-boomer": "boomers",
    "baby-boomers": "boomers",
    "boomer": "boomers",
    "gen x": "gen_x",
    "génération x": "gen_x",
    "gen y": "millennials",
    "generation y": "millennials",
    "génération y": "millennials",
    "millennial": "millennials",
    "gen z": "gen_z",
    "génération z": "gen_z",
    "gen alpha": "gen_alpha",
}


@dataclass(frozen=True)
class Comparison:
    """``field op value`` (``values`` has one item) or ``field [not] in (values…)``."""

    field: str
    op: str  # = != < <= > >= in "not in"
    values: tuple[Value, ...]


@dataclass(frozen=True)
class Not:
    operand: Node


@dataclass(frozen=True)
class And:
    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    operands: tuple[Node, ...]


Node = Comparison | Not | And | Or


@dataclass(frozen=True)
class Rule:
    """A parsed rule and the text it came from."""

    text: str
    node: Node

    @property
    def fields(self) -> frozenset[str]:
        """Every name the rule reads."""
        return _fields(self.node)


@dataclass(frozen=True)
class _Token:
    kind: str  # name | keyword | string | number | op | ( | ) | , | end
    text: str
    value: Value
    pos: int  # 1-based column


_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<string>"(?:[^"]|"")*"|'(?:[^']|'')*')
  | (?P<number>-?\d+(?:\.\d+)?(?![\w.]))
  | (?P<op><=|>=|!=|==|=|<>|<|>)
  | (?P<punct>[(),])
  | (?P<name>[^\W\d][\w.-]*)
    """,
    re.VERBOSE,
)
_KEYWORDS = {"and", "or", "not", "in"}


def parse_rule(text: str) -> Rule:
    """Parse ``text``; raise ``SegmentRuleError`` naming the position and token at fault.

    >>> parse_rule('generation = "Gen X" and segment = "pro"').node.operands[0]
    Comparison(field='generation', op='=', values=('gen_x',))
    >>> parse_rule("nps >=")
    Traceback (most recent call last):
    ...
    cxgap.errors.SegmentRuleError: Segment rule refused:
      field 'rule': position 7: expected a value after '>=', found the end of the rule
    """
    if len(text) > MAX_RULE:
        _fail(
            1, "too_long", f"a rule holds at most {MAX_RULE} characters", len(text), limit=MAX_RULE
        )
    parser = _Parser(_tokenize(text))
    if parser.peek().kind == "end":
        _fail(1, "empty", "the rule is empty", text)
    node = parser.rule()
    end = parser.peek()
    if end.kind != "end":
        _fail(
            end.pos,
            "expected_end",
            f"expected 'and', 'or' or the end of the rule, found {end.text!r}",
            found=end.text,
        )
    return Rule(text=text.strip(), node=node)


def evaluate(rule: Rule | Node, record: Mapping[str, object]) -> bool:
    """Whether one customer record (``name -> value``, missing names = unknown) matches.

    >>> rule = parse_rule('birth_year >= 1981 and nps <= 6')
    >>> evaluate(rule, {"birth_year": 1990, "nps": 3}), evaluate(rule, {"birth_year": 1990})
    (True, False)
    """
    node = rule.node if isinstance(rule, Rule) else rule
    if isinstance(node, Comparison):
        return _compare(node, record)
    if isinstance(node, Not):
        return not evaluate(node.operand, record)
    if isinstance(node, And):
        return all(evaluate(part, record) for part in node.operands)
    return any(evaluate(part, record) for part in node.operands)


def generation_key(value: object) -> str | None:
    """The cohort key of a written generation ("Gen X" → "gen_x"), or None if unknown."""
    if value is None:
        return None
    return GENERATION_ALIASES.get(" ".join(str(value).lower().replace("_", " ").split()))


def record_generation(record: Mapping[str, object]) -> str | None:
    """A customer's cohort: from the birth year when known, else the generation attribute."""
    year = _number(record.get("birth_year"))
    if year is not None:
        return generation_of(int(year))
    return generation_key(record.get("generation"))


# --- evaluation -------------------------------------------------------------------------------


def _compare(node: Comparison, record: Mapping[str, object]) -> bool:
    if node.field == "generation":
        actual: object = record_generation(record)
    else:
        actual = record.get(node.field)
    if actual is None or actual == "":
        return False
    if node.op in ("in", "not in"):
        found = any(_equal(actual, value) for value in node.values)
        return found if node.op == "in" else not found
    expected = node.values[0]
    if node.op == "=":
        return _equal(actual, expected)
    if node.op == "!=":
        return not _equal(actual, expected)
    number = _number(actual)
    if number is None or isinstance(expected, str):
        return False
    return {"<": number < expected, "<=": number <= expected, ">": number > expected}.get(
        node.op, number >= expected
    )


def _equal(actual: object, expected: Value) -> bool:
    if isinstance(expected, str):
        return str(actual).strip().casefold() == expected.casefold()
    number = _number(actual)
    return number is not None and number == expected


def _number(value: object) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip()
    return float(text) if NUMBER_TEXT.fullmatch(text) else None


def _fields(node: Node) -> frozenset[str]:
    if isinstance(node, Comparison):
        return frozenset({node.field})
    if isinstance(node, Not):
        return _fields(node.operand)
    return frozenset().union(*(_fields(part) for part in node.operands))


# --- parsing ----------------------------------------------------------------------------------


def _fail(pos: int, kind: str, message: str, value: object = None, **params: object) -> None:
    """Refuse the rule. The English ``message`` is for logs and the CLI; front ends say
    ``segments.parse.<kind>`` with ``params`` (``found`` is ``None`` at the end of the rule)
    in the reader's language, with the 1-based ``position`` for a caret."""
    problem = FieldProblem(
        "rule",
        f"position {pos}: {message}",
        value,
        code="format",
        params={"rule_error": kind, "position": pos, **params},
    )
    raise SegmentRuleError([problem], summary="Segment rule refused")


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            _fail(pos + 1, "character", f"unexpected character {text[pos]!r}", found=text[pos])
            raise AssertionError("unreachable")
        kind = match.lastgroup or ""
        raw = match.group()
        if kind == "string":
            tokens.append(_Token("string", raw, raw[1:-1].replace(raw[0] * 2, raw[0]), pos + 1))
        elif kind == "number":
            tokens.append(_Token("number", raw, float(raw), pos + 1))
        elif kind == "name":
            lowered = raw.lower()
            kind = "keyword" if lowered in _KEYWORDS else "name"
            tokens.append(_Token(kind, raw, lowered if kind == "keyword" else raw, pos + 1))
        elif kind in ("op", "punct"):
            value = {"==": "=", "<>": "!="}.get(raw, raw)
            tokens.append(_Token("op" if kind == "op" else raw, raw, value, pos + 1))
        pos = match.end()
    tokens.append(_Token("end", "", "", len(text) + 1))
    return tokens


class _Parser:
    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.index = 0

    def peek(self) -> _Token:
        return self.tokens[self.index]

    def take(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def keyword(self, word: str) -> bool:
        token = self.peek()
        if token.kind == "keyword" and token.value == word:
            self.index += 1
            return True
        return False

    def rule(self) -> Node:
        parts = [self.conjunction()]
        while self.keyword("or"):
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else Or(tuple(parts))

    def conjunction(self) -> Node:
        parts = [self.negation()]
        while self.keyword("and"):
            parts.append(self.negation())
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def negation(self) -> Node:
        if self.keyword("not"):
            return Not(self.negation())
        token = self.peek()
        if token.kind == "(":
            self.take()
            node = self.rule()
            self.expect(")", "close_paren", opened=token.pos)
            return node
        return self.comparison()

    def comparison(self) -> Node:
        name = self.take()
        if name.kind != "name":
            _fail(
                name.pos,
                "expected_name",
                f"expected a name such as nps or generation, found {_shown(name)}",
                found=_found(name),
            )
        # Known names are case-insensitive; free attributes keep the case of their column.
        lowered = str(name.value).lower()
        field = lowered if lowered in NUMERIC_FIELDS | TEXT_FIELDS else str(name.value)
        token = self.peek()
        if token.kind == "op":
            self.take()
            value = self.value("after", token.text)
            return _checked(Comparison(field, str(token.value), (value,)), token)
        negated = self.keyword("not")
        if self.keyword("in"):
            return _checked(Comparison(field, "not in" if negated else "in", self.values()), token)
        said = f"expected =, !=, <, <=, >, >= or in after {name.text!r}, found {_shown(token)}"
        _fail(token.pos, "expected_operator", said, name=name.text, found=_found(token))
        raise AssertionError("unreachable")

    def values(self) -> tuple[Value, ...]:
        self.expect("(", "after", after="in")
        values = [self.value("in_list")]
        while self.peek().kind == ",":
            self.take()
            values.append(self.value("after", ","))
        self.expect(")", "close_list")
        return tuple(values)

    def value(self, where: str, after: str = "") -> Value:
        """A string or number; ``where`` is ``after`` (the token ``after``) or ``in_list``."""
        token = self.take()
        if token.kind not in ("string", "number"):
            said = f"after {after!r}" if where == "after" else "in the list"
            _fail(
                token.pos,
                f"value_{where}",
                f"expected a value {said}, found {_shown(token)}",
                after=after,
                found=_found(token),
            )
        return token.value

    def expect(self, kind: str, why: str, *, after: str = "", opened: int = 0) -> None:
        """The next token is ``kind``; ``why`` is ``after`` (the token ``after``),
        ``close_paren`` (the one opened at ``opened``) or ``close_list``."""
        token = self.take()
        if token.kind != kind:
            said = {
                "after": f"after {after!r}",
                "close_paren": f"to close the '(' at position {opened}",
                "close_list": "to close the list",
            }[why]
            _fail(
                token.pos,
                f"expect_{why}",
                f"expected {kind!r} {said}, found {_shown(token)}",
                expected=kind,
                after=after,
                opened=opened,
                found=_found(token),
            )


def _shown(token: _Token) -> str:
    return "the end of the rule" if token.kind == "end" else repr(token.text)


def _found(token: _Token) -> str | None:
    return None if token.kind == "end" else token.text


def _checked(node: Comparison, token: _Token) -> Comparison:
    """Refuse comparisons that can never match: text against numbers, unknown cohorts."""
    if node.op in ORDER_OPS and isinstance(node.values[0], str):
        _fail(
            token.pos,
            "order_text",
            f"{node.op!r} compares numbers; {node.values[0]!r} is text",
            op=node.op,
            text=node.values[0],
        )
    if node.field in NUMERIC_FIELDS:
        texts = [v for v in node.values if isinstance(v, str)]
        if texts:
            _fail(
                token.pos,
                "number_field",
                f"{node.field} is a number; {texts[0]!r} is text",
                name=node.field,
                text=texts[0],
            )
    if node.field in TEXT_FIELDS and node.op in ORDER_OPS:
        _fail(
            token.pos,
            "text_field",
            f"{node.field} is text and cannot be compared with {node.op!r}",
            name=node.field,
            op=node.op,
        )
    if node.field == "generation":
        keys = []
        for value in node.values:
            key = generation_key(value)
            if key is None:
                known = ", ".join(g.name_en for g in GENERATIONS)
                _fail(
                    token.pos,
                    "generation",
                    f"unknown generation {value!r} (known: {known})",
                    text=value,
                    known_en=known,
                    known_fr=", ".join(g.name_fr for g in GENERATIONS),
                )
            keys.append(key or "")
        return Comparison(node.field, node.op, tuple(keys))
    return node
