"""Time the SLA engine: a year of cases evaluated, and a month's service credits computed.

Cases: BENCH_SLA_CASES (10,000) drawn with a fixed seed over 2026, 3–9 events each (replies,
notes, pending and resolved statuses), on the office calendar of docs/sla.md (lunch break, FR
holidays, Paris). Baseline, measured in the same run on 300 answered clocks without pauses:
counting the business minutes one minute at a time (what a first version would do). The
engine's figures must equal the baseline's, so the bench also checks the arithmetic on random
cases."""

from __future__ import annotations

import json
import os
import random
import time
from datetime import UTC, date, datetime, timedelta

from bench.build import OUT
from cxgap.sla.calendar import BusinessCalendar
from cxgap.sla.cases import Case
from cxgap.sla.credits import compute_credits
from cxgap.sla.documents import read_cases, read_menu
from cxgap.sla.evaluation import evaluate_case
from cxgap.sla.reading import Reader

OFFICE = [["09:00", "12:30"], ["13:30", "18:00"]]
MENU = {
    "calendar": {
        "timezone": "Europe/Paris",
        "hours": {day: OFFICE for day in ("mon", "tue", "wed", "thu", "fri")},
        "holiday_country": "FR",
    },
    "policies": [
        {
            "name": "all",
            "match": {},
            "targets": {"first_response": 60, "next_response": 120, "resolution": 960},
        }
    ],
    "tiers": [
        {
            "name": "premium",
            "fee": 1000,
            "accounts": [f"account-{i}" for i in range(100)],
            "sla_credits": [{"below": 95, "percent": 10}, {"below": 90, "percent": 25}],
        }
    ],
}
BASELINE_CLOCKS = 300
STEPS = (
    ("reply", "agent"),
    ("reply", "customer"),
    ("note", "agent"),
    ("status", "pending_customer"),
    ("status", "open"),
)


def drawn_cases(count: int, seed: int = 2026) -> list[dict[str, object]]:
    rng = random.Random(seed)
    cases: list[dict[str, object]] = []
    for i in range(count):
        at = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=rng.randrange(360 * 1440))
        events: list[dict[str, object]] = [
            {"at": at.isoformat(), "type": "reply", "by": "customer"}
        ]
        for _ in range(rng.randrange(2, 8)):
            at += timedelta(minutes=rng.randrange(5, 2000))
            kind, value = rng.choice(STEPS)
            key = "status" if kind == "status" else "by"
            events.append({"at": at.isoformat(), "type": kind, key: value})
        events.append({"at": (at + timedelta(hours=2)).isoformat(), "type": "status",
                       "status": "resolved"})  # fmt: skip
        created = events[0]["at"]
        cases.append({"id": f"C{i}", "account": f"account-{i % 100}", "created_at": created,
                      "events": events})  # fmt: skip
    return cases


def minute_by_minute(calendar: BusinessCalendar, start: datetime, end: datetime) -> int:
    """The baseline: step through every minute and ask whether it is a working one."""
    count, cursor = 0, start
    while cursor < end:
        day = calendar.local(cursor).date()
        if any(a <= cursor < b for a, b in calendar.openings(day)):
            count += 1
        cursor += timedelta(minutes=1)
    return count


def main() -> None:
    size = int(os.environ.get("BENCH_SLA_CASES", "10000"))
    print(f"load average before: {os.getloadavg()[0]:.2f}", flush=True)
    menu = read_menu(Reader("menu"), MENU)
    calendar = menu.policies.calendar
    cases: list[Case] = read_cases(Reader("cases"), drawn_cases(size), calendar.zone)
    now = datetime(2027, 1, 1, tzinfo=UTC)

    started = time.perf_counter()
    results = [evaluate_case(menu.policies, case, now) for case in cases]
    evaluate_s = time.perf_counter() - started
    started = time.perf_counter()
    statements = compute_credits(menu, cases, [], date(2026, 6, 1), now)
    credits_s = time.perf_counter() - started

    # the baseline on satisfied clocks without pauses, over at most a week each
    clocks = [
        (c.started_at, c.satisfied_at, c.used)
        for r in results
        for m in r.metrics.values()
        for c in m.clocks
        if c.satisfied_at is not None and c.satisfied_at - c.started_at <= timedelta(days=7)
    ]
    clocks = [c for c in clocks if c[2] == calendar.business_time(c[0], c[1])][:BASELINE_CLOCKS]
    started = time.perf_counter()
    engine = [calendar.business_time(a, b) // timedelta(minutes=1) for a, b, _ in clocks]
    engine_s = time.perf_counter() - started
    started = time.perf_counter()
    baseline = [minute_by_minute(calendar, a, b) for a, b, _ in clocks]
    baseline_s = time.perf_counter() - started
    same = engine == baseline
    figures = {
        "cases": size,
        "evaluate_s": round(evaluate_s, 2),
        "ms_per_case": round(1000 * evaluate_s / size, 3),
        "credits_month_s": round(credits_s, 2),
        "accounts": len(statements),
        "baseline_clocks": len(clocks),
        "baseline_minute_by_minute_s": round(baseline_s, 2),
        "engine_same_clocks_s": round(engine_s, 4),
        "speedup": round(baseline_s / engine_s) if engine_s else None,
        "same_minutes_as_baseline": same,
        "load_after": round(os.getloadavg()[0], 2),
    }
    for key, value in figures.items():
        print(f"{key}: {value}")
    OUT.mkdir(exist_ok=True)
    (OUT / "sla.json").write_text(json.dumps(figures, indent=2))
    if not same:
        raise SystemExit("the engine and the minute-by-minute count disagree")


if __name__ == "__main__":
    main()
