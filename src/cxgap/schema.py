"""Validated answer records shared by the web survey, the CSV import and the demo.

Validation refuses rather than guesses: every problem names the field, the row and the value,
and all problems of a record are reported together.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from cxgap.errors import FieldProblem, ValidationError
from cxgap.ingest.values import file_whole_number, typed_whole_number
from cxgap.pillars import CES_MAX, CSAT_MAX, NPS_MAX, SCALE_MAX, SCALE_MIN

MAX_COMMENT_CHARS = 5000
MAX_SHORT_TEXT_CHARS = 200
OLDEST_BIRTH_YEAR = 1900
YOUNGEST_AGE = 13
LANGUAGES = ("en", "fr")
MAX_AGENT_CHARS = 128
MAX_DURATION_SECONDS = 7 * 24 * 3600  # a week: a longer "duration" is a data error
# Fields a public survey form never sets: the answer's key and time, and what the integrity
# flags read (the shop or agent the answer is about, the time taken, measured by the server).
PUBLIC_FORM_IGNORED = frozenset({"response_id", "submitted_at", "agent", "duration_seconds"})


@dataclass(frozen=True)
class PillarScores:
    importance: int | None
    performance: int | None


@dataclass(frozen=True)
class CustomerAnswer:
    """One customer's answer to the pillar survey."""

    pillars: dict[str, PillarScores]
    nps: int | None = None
    csat: int | None = None
    ces: int | None = None
    birth_year: int | None = None
    segment_key: str | None = None
    comment: str = ""
    consent: bool = False
    language: str = "en"
    submitted_at: datetime | None = None
    external_id: str | None = None
    customer_ref: str | None = None
    agent: str | None = None  # the shop or agent the answer is about (docs/integrity.md)
    duration_seconds: float | None = None  # how long answering took, as the survey tool says


@dataclass(frozen=True)
class InternalPillarAnswer:
    current: int
    desired: int
    rank: int | None  # None: the colleague did not rank the pillars


@dataclass(frozen=True)
class InternalAnswer:
    """One colleague's self-assessment: every pillar scored, and ranked or not at all."""

    pillars: dict[str, InternalPillarAnswer]
    department: str = ""
    respondent: str = ""
    comment: str = ""
    submitted_at: datetime | None = None

    @property
    def total_current(self) -> int:
        return sum(p.current for p in self.pillars.values())


@dataclass
class _Collector:
    """Gathers problems for one record so they are all reported at once."""

    row: int | None
    source: str | None
    problems: list[FieldProblem] = field(default_factory=list)
    from_file: bool = False  # a file's cells may be " 7 " or "7,0"; typed input may not

    def add(
        self, name: str, message: str, value: object = None, code: str = "format", **params: object
    ) -> None:
        self.problems.append(
            FieldProblem(
                field=name,
                message=message,
                value=value,
                row=self.row,
                source=self.source,
                code=code,
                params=params,
            )
        )

    def integer(
        self, raw: Mapping[str, object], name: str, low: int, high: int, *, required: bool
    ) -> int | None:
        value = raw.get(name)
        if value is None or (isinstance(value, str) and value.strip() == ""):
            if required:
                self.add(name, "is required", code="required")
            return None
        if self.from_file and isinstance(value, str):
            number = file_whole_number(value)
        else:
            number = typed_whole_number(value)
        if number is None:
            message = f"must be a whole number from {low} to {high}"
            self.add(name, message, value, "range", low=low, high=high)
            return None
        if not low <= number <= high:
            self.add(name, f"must be between {low} and {high}", value, "range", low=low, high=high)
            return None
        return number

    def text(self, raw: Mapping[str, object], name: str, limit: int) -> str:
        value = raw.get(name)
        if value is None:
            return ""
        text = str(value).strip()
        if len(text) > limit:
            self.add(
                name,
                f"is longer than {limit} characters",
                f"{len(text)} characters",
                "too_long",
                limit=limit,
            )
            return ""
        if "\x00" in text:
            self.add(name, "contains a NUL character")
            return ""
        return text

    def raise_if_any(self) -> None:
        if self.problems:
            raise ValidationError(self.problems, summary="Answer refused, nothing was stored")


def _parse_bool(collector: _Collector, raw: Mapping[str, object], name: str) -> bool:
    value = raw.get(name)
    if value is None or value == "":
        return False
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "oui", "on", "y"}:
        return True
    if text in {"0", "false", "no", "non", "off", "n"}:
        return False
    collector.add(name, "must be yes/no (true/false, 1/0)", value)
    return False


def _parse_datetime(collector: _Collector, raw: Mapping[str, object], name: str) -> datetime | None:
    value = raw.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    try:
        parsed = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError:
        collector.add(name, "must be an ISO date or date-time such as 2026-03-31T14:05", value)
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _parse_seconds(collector: _Collector, raw: Mapping[str, object], name: str) -> float | None:
    """A duration in seconds: a number from 0 to a week ("83", "83.5", "83,5" in a file)."""
    value = raw.get(name)
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return None
    text = str(value).strip()
    if collector.from_file:
        text = text.replace(",", ".")
    try:
        seconds = float(text) if not isinstance(value, bool) else math.nan
    except ValueError:
        seconds = math.nan
    if not 0 <= seconds <= MAX_DURATION_SECONDS:  # nan and infinities fail too
        message = f"must be a number of seconds from 0 to {MAX_DURATION_SECONDS}"
        collector.add(name, message, value, "range", low=0, high=MAX_DURATION_SECONDS)
        return None
    return seconds


def importance_field(pillar_key: str) -> str:
    return f"{pillar_key}_importance"


def performance_field(pillar_key: str) -> str:
    return f"{pillar_key}_performance"


def parse_customer_answer(
    raw: Mapping[str, object],
    *,
    pillar_keys: Collection[str],
    segment_keys: Collection[str] = (),
    require_all_pillars: bool = True,
    row: int | None = None,
    source: str | None = None,
    today: date | None = None,
    from_file: bool = False,
) -> CustomerAnswer:
    """Validate a flat mapping (form fields or a CSV row) into a :class:`CustomerAnswer`.

    Pillar scores are read from ``<key>_importance`` and ``<key>_performance``; a number is
    ASCII digits (an integer in JSON), with " 7 " and "7,0" also read ``from_file``.
    """
    c = _Collector(row=row, source=source, from_file=from_file)
    year_now = (today or date.today()).year
    pillars: dict[str, PillarScores] = {}
    for key in pillar_keys:
        importance = c.integer(
            raw, importance_field(key), SCALE_MIN, SCALE_MAX, required=require_all_pillars
        )
        performance = c.integer(
            raw, performance_field(key), SCALE_MIN, SCALE_MAX, required=require_all_pillars
        )
        if importance is not None or performance is not None:
            pillars[key] = PillarScores(importance=importance, performance=performance)
    nps = c.integer(raw, "nps", 0, NPS_MAX, required=require_all_pillars)
    csat = c.integer(raw, "csat", 1, CSAT_MAX, required=False)
    ces = c.integer(raw, "ces", 1, CES_MAX, required=False)
    birth_year = c.integer(
        raw, "birth_year", OLDEST_BIRTH_YEAR, year_now - YOUNGEST_AGE, required=False
    )
    segment = c.text(raw, "segment", MAX_SHORT_TEXT_CHARS) or None
    if segment is not None and segment not in segment_keys:
        allowed = ", ".join(sorted(segment_keys)) or "none defined"
        c.add("segment", f"is not a known segment (allowed: {allowed})", segment, "choice")
        segment = None
    comment = c.text(raw, "comment", MAX_COMMENT_CHARS)
    language = c.text(raw, "language", 5).lower() or "en"
    if language not in LANGUAGES:
        c.add("language", f"must be one of {', '.join(LANGUAGES)}", language, "choice")
    consent = _parse_bool(c, raw, "consent")
    submitted_at = _parse_datetime(c, raw, "submitted_at")
    external_id = c.text(raw, "response_id", 128) or None
    customer_ref = c.text(raw, "customer_ref", 128) or None
    agent = c.text(raw, "agent", MAX_AGENT_CHARS) or None
    duration = _parse_seconds(c, raw, "duration_seconds")
    if not pillars and nps is None and not comment:
        c.add("answers", "the answer is empty: no pillar score, NPS or comment")
    c.raise_if_any()
    return CustomerAnswer(
        pillars=pillars,
        nps=nps,
        csat=csat,
        ces=ces,
        birth_year=birth_year,
        segment_key=segment,
        comment=comment,
        consent=consent,
        language=language,
        submitted_at=submitted_at,
        external_id=external_id,
        customer_ref=customer_ref,
        agent=agent,
        duration_seconds=duration,
    )


def _is_given(value: object) -> bool:
    return value is not None and not (isinstance(value, str) and value.strip() == "")


def parse_internal_answer(
    raw: Mapping[str, object], *, pillar_keys: Collection[str], row: int | None = None
) -> InternalAnswer:
    """Validate a colleague's self-assessment: ``<key>_current`` and ``<key>_desired`` for
    every pillar, and ``<key>_rank`` for every pillar or for none (an untouched ranking is
    not a ranking: it is stored as missing). Given ranks must be a permutation of 1..k."""
    c = _Collector(row=row, source=None)
    keys = list(pillar_keys)
    ranked = any(_is_given(raw.get(f"{key}_rank")) for key in keys)
    values: dict[str, tuple[int | None, int | None, int | None]] = {}
    for key in keys:
        values[key] = (
            c.integer(raw, f"{key}_current", SCALE_MIN, SCALE_MAX, required=True),
            c.integer(raw, f"{key}_desired", SCALE_MIN, SCALE_MAX, required=True),
            c.integer(raw, f"{key}_rank", 1, len(keys), required=ranked),
        )
    ranks = [r for _, _, r in values.values() if r is not None]
    if len(ranks) == len(keys) and sorted(ranks) != list(range(1, len(keys) + 1)):
        duplicated = sorted({r for r in ranks if ranks.count(r) > 1})
        c.add(
            "rank",
            f"each rank from 1 to {len(keys)} must be used exactly once",
            duplicated,
            "rank",
            n=len(keys),
        )
    department = c.text(raw, "department", MAX_SHORT_TEXT_CHARS)
    respondent = c.text(raw, "respondent", MAX_SHORT_TEXT_CHARS)
    comment = c.text(raw, "comment", MAX_COMMENT_CHARS)
    c.raise_if_any()
    return InternalAnswer(
        pillars={
            key: InternalPillarAnswer(current=cur, desired=des, rank=rank)
            for key, (cur, des, rank) in values.items()
            if cur is not None and des is not None
        },
        department=department,
        respondent=respondent,
        comment=comment,
    )
