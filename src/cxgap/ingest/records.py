"""The feedback record: one thing a customer said, wherever it came from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields
from datetime import datetime

from cxgap.errors import FieldProblem, ValidationError

SOURCE_TYPES = ("survey", "review", "complaint", "ticket", "chat", "email", "agent_note", "social")
# Inclusive ranges of the four scores a record may carry.
SCORE_RANGES: dict[str, tuple[int, int]] = {
    "nps": (0, 10),
    "csat": (1, 5),
    "ces": (1, 7),
    "stars": (1, 5),
}
MAX_TEXT_CHARS = 20_000
MAX_SHORT_CHARS = 200
MAX_ATTRIBUTE_CHARS = 5_000
MAX_QUESTION_CHARS = 1_000


@dataclass(frozen=True)
class FeedbackRecord:
    """A verbatim and/or scores, with where, when and from whom they came.

    ``source_id`` is the exporting tool's id (a re-import updates the record with the same
    ``source_type`` and ``source_id``); when the file has none it is a hash of the content.
    A survey response with several open answers gives one record per answer: ``question``
    is the question it answers and ``response_key`` the response they share; the response's
    scores are carried by one of them only, so that statistics count each response once.
    """

    source_type: str
    source_id: str
    collected_at: datetime
    text: str = ""
    channel: str | None = None
    nps: int | None = None
    csat: int | None = None
    ces: int | None = None
    stars: int | None = None
    customer_ref: str | None = None
    touchpoint: str | None = None
    language: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)
    question: str | None = None
    response_key: str | None = None

    def __post_init__(self) -> None:
        problems = _record_problems(self)
        if problems:
            raise ValidationError(problems, summary="Invalid feedback record")

    @property
    def scores(self) -> dict[str, int | None]:
        return {name: getattr(self, name) for name in SCORE_RANGES}

    def as_dict(self) -> dict[str, object]:
        """JSON-ready: the date as ISO 8601 with its offset."""
        return {
            "source_type": self.source_type,
            "source_id": self.source_id,
            "collected_at": self.collected_at.isoformat(),
            "text": self.text,
            "channel": self.channel,
            **self.scores,
            "customer_ref": self.customer_ref,
            "touchpoint": self.touchpoint,
            "language": self.language,
            "attributes": dict(self.attributes),
            "question": self.question,
            "response_key": self.response_key,
        }


_NAMES = frozenset(f.name for f in fields(FeedbackRecord))
_DEFAULTS = {f.name: f.default for f in fields(FeedbackRecord) if f.default is not MISSING}


def built_record(values: Mapping[str, object], attributes: dict[str, str]) -> FeedbackRecord:
    """``FeedbackRecord(**values, attributes=attributes)``: the same record, the same
    ``ValidationError`` (``__post_init__`` runs), a ``TypeError`` for a name that is no
    field or a field missing. Why: the frozen dataclass's ``__init__`` sets each of its 15
    fields through ``object.__setattr__``, a third of what mapping a row cost; its state
    set at once is a third of that (a large import builds one record a row)."""
    state = {**_DEFAULTS, **values, "attributes": attributes}
    if len(state) != len(_NAMES) or not state.keys() <= _NAMES:
        unknown = sorted(state.keys() - _NAMES) or sorted(_NAMES - state.keys())
        raise TypeError(f"FeedbackRecord: not its fields, or missing: {', '.join(unknown)}")
    record = object.__new__(FeedbackRecord)
    record.__dict__.update(state)
    record.__post_init__()
    return record


_SOURCE_TYPE_SET = frozenset(SOURCE_TYPES)
_RANGES = tuple(SCORE_RANGES.items())


def mapped_record(state: dict[str, object]) -> FeedbackRecord:
    """``built_record`` for a mapper that names every field itself (``state`` holds each
    of them, nothing else; the caller's dict becomes the record's): the same record, the
    same ``ValidationError``. Why: merging the defaults, checking the names and listing
    the problems of a record that has none was a tenth of what mapping a row cost; the
    plain checks below (:func:`_plainly_valid`) let a valid record through at once and
    hand any other to ``__post_init__``, which names its problems."""
    record = object.__new__(FeedbackRecord)
    object.__setattr__(record, "__dict__", state)
    if not _plainly_valid(state):
        record.__post_init__()
    return record


def _plainly_valid(state: dict[str, object]) -> bool:
    """True only for values :func:`_record_problems` finds nothing wrong with."""
    when = state["collected_at"]
    text = state["text"]
    question = state["question"]
    if not (
        state["source_type"] in _SOURCE_TYPE_SET
        and state["source_id"]
        and isinstance(when, datetime)
        and when.tzinfo is not None
        and type(text) is str
        and len(text) <= MAX_TEXT_CHARS
        and (question is None or (type(question) is str and len(question) <= MAX_QUESTION_CHARS))
    ):
        return False
    scored = False
    for name, (low, high) in _RANGES:
        value = state[name]
        if value is not None:
            if not (type(value) is int and low <= value <= high):
                return False
            scored = True
    return bool(text) or scored


def _record_problems(record: FeedbackRecord) -> list[FieldProblem]:
    """The invariants every record keeps, however it was built."""
    problems: list[FieldProblem] = []
    if record.source_type not in SOURCE_TYPES:
        allowed = ", ".join(SOURCE_TYPES)
        problems.append(
            FieldProblem(
                "source_type", f"must be one of {allowed}", record.source_type, code="choice"
            )
        )
    if not record.source_id:
        problems.append(FieldProblem("source_id", "is required", code="required"))
    if record.collected_at.tzinfo is None:
        problems.append(
            FieldProblem(
                "collected_at", "must carry a time zone", record.collected_at, code="format"
            )
        )
    for name, (low, high) in SCORE_RANGES.items():
        value = getattr(record, name)
        if value is not None and not (type(value) is int and low <= value <= high):
            message = f"must be a whole number from {low} to {high}"
            problems.append(FieldProblem(name, message, value, code="range"))
    if record.question is not None and len(record.question) > MAX_QUESTION_CHARS:
        problems.append(
            FieldProblem("question", "is too long", len(record.question), code="too_long")
        )
    if len(record.text) > MAX_TEXT_CHARS:
        problems.append(FieldProblem("text", "is too long", len(record.text), code="too_long"))
    if not record.text and all(v is None for v in record.scores.values()):
        problems.append(FieldProblem("text", "the record has no text and no score", code="empty"))
    return problems
