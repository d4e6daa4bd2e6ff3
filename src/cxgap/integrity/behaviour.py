"""How a response was given: too fast for the survey (speeder), the same answer down the grid
(straight-lining), or not by a person at all (bot: honeypot, impossible timing, bursts)."""

from __future__ import annotations

import itertools
import math
import statistics
from collections.abc import Sequence
from datetime import datetime

from cxgap.integrity.model import Flag, Response, Rules


def median_duration(responses: Sequence[Response], rules: Rules) -> float | None:
    """The survey's median duration, ``None`` under ``rules.speeder_min_durations`` values."""
    durations = [r.duration_seconds for r in responses if r.duration_seconds is not None]
    if len(durations) < rules.speeder_min_durations:
        return None
    return float(statistics.median(durations))


def speeder(response: Response, median: float | None, rules: Rules) -> Flag | None:
    """Faster than ``speeder_ratio`` of the median (a third: the usual rule in survey research,
    e.g. Greszki et al. 2015, where reading the questions alone takes longer)."""
    seconds = response.duration_seconds
    if seconds is None or median is None or median <= 0:
        return None
    if seconds >= rules.speeder_ratio * median:
        return None
    return Flag("speeder", {"seconds": round(seconds, 1), "median": round(median, 1)})


def straight_lining(response: Response, rules: Rules) -> Flag | None:
    """A run of identical grid answers covering ``straight_run_share`` of the answered items
    (all of them up to 5 items), with at least ``straight_min_items`` answered, when that
    answer is not the respondent's own view: the middle of the scale (2–4, the satisficing
    pattern of Krosnick 1991), or an end of it the recommendation score contradicts (all 5 with
    an NPS of 6 or less, all 1 with 7 or more). A delighted 10 rating every pillar 5 is not
    flagged; without an NPS, any flat grid is."""
    answers = [a for a in response.items if a is not None]
    if len(answers) < rules.straight_min_items:
        return None
    run, value = _longest_run(answers)
    needed = max(rules.straight_min_items, math.ceil(rules.straight_run_share * len(answers)))
    if run < needed or _own_view(value, response.nps):
        return None
    spread = statistics.pstdev(answers)
    return Flag(
        "straight_lining",
        {"run": run, "items": len(answers), "value": value, "sd": round(spread, 2)},
    )


def _own_view(value: int, nps: int | None) -> bool:
    if nps is None:
        return False
    return (value == 5 and nps >= 7) or (value == 1 and nps <= 6)


def _longest_run(answers: list[int]) -> tuple[int, int]:
    best, best_value, current = 1, answers[0], 1
    for previous, answer in itertools.pairwise(answers):
        current = current + 1 if answer == previous else 1
        if current > best:
            best, best_value = current, answer
    return best, best_value


def bot_flags(responses: Sequence[Response], rules: Rules) -> dict[str, Flag]:
    """Bot-like submissions by response id: the honeypot filled, a duration no human
    achieves, or part of a burst."""
    found: dict[str, Flag] = {}
    for response_id, count in _bursts(responses, rules).items():
        found[response_id] = Flag("bot", {"why": "burst", "count": count})
    for response in responses:
        seconds = response.duration_seconds
        if seconds is not None and seconds < rules.bot_min_seconds:
            found[response.response_id] = Flag("bot", {"why": "timing", "seconds": seconds})
        if response.honeypot.strip():
            found[response.response_id] = Flag("bot", {"why": "honeypot"})
    return found


def _bursts(responses: Sequence[Response], rules: Rules) -> dict[str, int]:
    """Responses in a window of ``burst_seconds`` holding ``burst_count`` or more submissions
    when the survey's average pace would put fewer than ``burst_expected`` in it."""
    timed = sorted(
        ((r.submitted_at, r.response_id) for r in responses if r.submitted_at is not None),
        key=lambda pair: pair[0],
    )
    if len(timed) < rules.burst_count:
        return {}
    span = _seconds(timed[-1][0], timed[0][0])
    expected = len(timed) * rules.burst_seconds / span if span > 0 else math.inf
    if expected >= rules.burst_expected:
        return {}
    found: dict[str, int] = {}
    end = 0
    for start in range(len(timed)):
        end = max(end, start)
        while end + 1 < len(timed) and _seconds(timed[end + 1][0], timed[start][0]) <= (
            rules.burst_seconds
        ):
            end += 1
        count = end - start + 1
        if count >= rules.burst_count:
            for _, response_id in timed[start : end + 1]:
                found[response_id] = max(found.get(response_id, 0), count)
    return found


def _seconds(later: datetime, earlier: datetime) -> float:
    return (later - earlier).total_seconds()
