"""All the rules over a set of responses: ``check_integrity`` and its JSON form (the contract
of ``cxgap integrity check``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from cxgap.integrity.agents import agent_verdicts
from cxgap.integrity.begging import begging
from cxgap.integrity.behaviour import bot_flags, median_duration, speeder, straight_lining
from cxgap.integrity.duplicates import duplicate_flags
from cxgap.integrity.gibberish import gibberish
from cxgap.integrity.model import (
    RESPONSE_FLAGS,
    Contacts,
    Flag,
    IntegrityReport,
    Response,
    ResponseVerdict,
    Rules,
)

# Sentiment of each text in [-1, 1] (``None`` when unknown), in order: cxgap's text analyzer
# in the CLI and the services, anything with the same shape in tests.
Sentiment = Callable[[Sequence[str]], Sequence[float | None]]

HIGH_NPS = (9, 10)
LOW_NPS = (0, 1, 2, 3)


def check_integrity(
    responses: Sequence[Response],
    *,
    sentiment: Sentiment | None = None,
    contacts: Mapping[str, Contacts] | None = None,
    rules: Rules | None = None,
) -> IntegrityReport:
    """Every response with its flags (an empty tuple when clean) and every agent's verdict."""
    rules = rules or Rules()
    median = median_duration(responses, rules)
    bots = bot_flags(responses, rules)
    duplicates = duplicate_flags(responses, rules)
    mismatches = _mismatches(responses, sentiment, rules)
    verdicts = []
    begging_ids: set[str] = set()
    for response in responses:
        found = [
            speeder(response, median, rules),
            straight_lining(response, rules),
            duplicates.get(response.response_id),
            gibberish(response.text) if response.text else None,
            bots.get(response.response_id),
            mismatches.get(response.response_id),
            begging(response.text) if response.text else None,
        ]
        flags = tuple(flag for flag in found if flag is not None)
        if any(flag.name == "score_begging" for flag in flags):
            begging_ids.add(response.response_id)
        verdicts.append(ResponseVerdict(response.response_id, response.agent, _ordered(flags)))
    agents, funnel, prior = agent_verdicts(responses, begging_ids, contacts or {}, rules)
    return IntegrityReport(tuple(verdicts), tuple(agents), funnel, prior, median)


def _ordered(flags: tuple[Flag, ...]) -> tuple[Flag, ...]:
    return tuple(sorted(flags, key=lambda flag: RESPONSE_FLAGS.index(flag.name)))


def _mismatches(
    responses: Sequence[Response], sentiment: Sentiment | None, rules: Rules
) -> dict[str, Flag]:
    """A 9–10 with a clearly negative comment, or a 0–3 with a clearly positive one; gibberish
    is not read."""
    if sentiment is None:
        return {}
    judged = [r for r in responses if r.nps is not None and r.text.strip()]
    judged = [r for r in judged if gibberish(r.text) is None]  # nonsense has no sentiment
    judged = [r for r in judged if r.nps in HIGH_NPS or r.nps in LOW_NPS]
    if not judged:
        return {}
    scores = sentiment([r.text for r in judged])
    found: dict[str, Flag] = {}
    for response, score in zip(judged, scores, strict=True):
        if score is None:
            continue
        high = response.nps in HIGH_NPS and score <= rules.mismatch_negative
        low = response.nps in LOW_NPS and score >= rules.mismatch_positive
        if high or low:
            params: dict[str, object] = {"nps": response.nps, "sentiment": round(score, 2)}
            found[response.response_id] = Flag("score_text_mismatch", params)
    return found


def report_json(report: IntegrityReport) -> dict[str, object]:
    """The contract: ``responses`` (id and flag names, every response) and ``agents``; the
    figures behind each flag ride along as ``details``."""
    return {
        "responses": [
            {
                "response_id": v.response_id,
                "flags": v.names,
                "details": {flag.name: flag.params for flag in v.flags},
            }
            for v in report.responses
        ],
        "agents": [
            {
                "agent": a.agent,
                "n": a.n,
                "flagged": a.flagged,
                "reasons": [flag.name for flag in a.flags],
                "top_share": _round(a.top_share),
                "shrunk_top_share": _round(a.shrunk_share),
                "rank": a.rank,
                "upper_limit": _round(a.upper_limit),
                "p_value": _round(a.p_value, 6),
                "begging": a.begging,
                "surveyed_share": _round(a.surveyed_share),
                "details": {flag.name: flag.params for flag in a.flags},
            }
            for a in report.agents
        ],
        "funnel": None
        if report.funnel is None
        else {
            "centre": _round(report.funnel.centre),
            "units": report.funnel.units,
            "alpha_per_unit": _round(report.funnel.alpha_per_unit, 6),
        },
        "median_duration_seconds": report.median_duration,
    }


def _round(value: float | None, places: int = 4) -> float | None:
    return None if value is None else round(value, places)
