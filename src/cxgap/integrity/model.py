"""The values the integrity rules read and return: a response, a flag with its reason, the
thresholds, and the verdict per response and per agent (docs/integrity.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

# Response flags, in the order they are listed; the contract names the first six.
RESPONSE_FLAGS = (
    "speeder",
    "straight_lining",
    "duplicate",
    "gibberish",
    "bot",
    "score_text_mismatch",
    "score_begging",
)
# Agent (or shop) flags.
AGENT_FLAGS = ("top_score_share", "score_begging", "selective_surveying")


@dataclass(frozen=True)
class Response:
    """One survey answer, every field possibly unknown; ``items`` are the 1–5 grid answers in
    column order (``None`` for a blank)."""

    response_id: str
    submitted_at: datetime | None = None
    duration_seconds: float | None = None
    agent: str | None = None
    nps: int | None = None
    text: str = ""
    items: tuple[int | None, ...] = ()
    respondent: str | None = None
    honeypot: str = ""


@dataclass(frozen=True)
class Flag:
    """One flag and the figures of its reason (``params``), said in words by ``words.py``."""

    name: str
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Contacts:
    """How many contacts an agent handled and, when known, how many were sent the survey."""

    contacts: int
    surveyed: int | None = None


@dataclass(frozen=True)
class Rules:
    """Every threshold, with the value docs/integrity.md states and explains."""

    speeder_ratio: float = 1 / 3  # faster than a third of the survey's median duration
    speeder_min_durations: int = 5  # a median of fewer durations says too little
    bot_min_seconds: float = 3.0  # no human reads and answers a survey in under 3 s
    burst_count: int = 10  # 10 submissions…
    burst_seconds: float = 60.0  # …within 60 s…
    burst_expected: float = 0.5  # …where the survey's own pace expects fewer than 0.5
    straight_min_items: int = 5
    straight_run_share: float = 0.8
    duplicate_jaccard: float = 0.8  # on character 5-shingles of the normalised text
    duplicate_min_chars: int = 20  # "Très bien, merci" twice is not a duplicate
    text_window_days: float = 7.0
    respondent_window_days: float = 1.0
    mismatch_negative: float = -0.6
    mismatch_positive: float = 0.6
    funnel_alpha: float = 0.05  # family-wise, split over the units compared (Bonferroni)
    begging_min: int = 2  # mentions of score begging before an agent is flagged


@dataclass(frozen=True)
class ResponseVerdict:
    response_id: str
    agent: str | None
    flags: tuple[Flag, ...]

    @property
    def names(self) -> list[str]:
        return [flag.name for flag in self.flags]


@dataclass(frozen=True)
class AgentVerdict:
    """An agent's figures: top-score share against the funnel limit, its shrunk share and rank,
    begging mentions, and the surveyed share when contact counts are given."""

    agent: str
    n: int
    scored: int
    top: int
    top_share: float | None
    shrunk_share: float | None
    rank: int | None
    upper_limit: float | None
    p_value: float | None
    begging: int
    surveyed_share: float | None
    surveyed_p_value: float | None
    flags: tuple[Flag, ...]

    @property
    def flagged(self) -> bool:
        return bool(self.flags)


@dataclass(frozen=True)
class Funnel:
    """The funnel plot: the pooled share, the per-unit significance level after correction,
    and the upper limit at each size drawn."""

    centre: float
    alpha_per_unit: float
    units: int
    limits: tuple[tuple[int, float], ...]


@dataclass(frozen=True)
class IntegrityReport:
    responses: tuple[ResponseVerdict, ...]
    agents: tuple[AgentVerdict, ...]
    funnel: Funnel | None
    prior: tuple[float, float] | None  # the beta prior (a, b) of the shrinkage
    median_duration: float | None
