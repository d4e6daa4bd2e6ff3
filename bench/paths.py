"""Time the path analyses (issue 14) on a generated log of BENCH_PATHS_EVENTS (1,000,000).

The log is made on the fly, case by case, with a fixed seed: a furniture retailer's journey
(ad, site, compare, cart, pay, deliver, assemble, review) walked with skips, detours to the
FAQ, the chat and the phone, loops and channel switches, about 6.3 events a case. The log is
made once and kept in memory, so that each analysis is timed alone (on a shared machine the
time to make the log varies more than an analysis takes); baseline, in the same run: reading
that log with no analysis. Then each analysis runs again under ``tracemalloc`` to measure the
memory it holds beyond the log (its aggregates), the figure that must stay bounded. Prints
seconds, events/s and that memory, with the load average, since the machine is shared.

    python -m bench.paths
"""

from __future__ import annotations

import os
import random
import resource
import time
import tracemalloc
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

from cxgap.events.model import Event
from cxgap.paths.conformance import conformance
from cxgap.paths.contacts import channel_switches, repeat_contacts
from cxgap.paths.dfg import DirectlyFollows, directly_follows
from cxgap.paths.dropoff import drop_off
from cxgap.paths.groups import per_group
from cxgap.paths.lane import lived_lane
from cxgap.paths.rework import rework
from cxgap.paths.sankey import top_paths
from cxgap.paths.sankey_svg import sankey_svg, sankey_text
from cxgap.paths.stream import CaseEvents
from cxgap.paths.variants import count_variants
from cxgap.paths.voice import CaseFeedback, voice_of_paths

DESIGN = ("ad", "site", "compare", "cart", "pay", "deliver", "assemble", "review")
CHANNEL = {"ad": "social", "review": "email", "deliver": "delivery", "assemble": "shop"}
DETOURS = (("faq", "web"), ("chat", "chat"), ("call", "phone"), ("visit shop", "shop"))
CONTACTS = frozenset({"chat", "call", "visit shop"})


def generated(events: int, seed: int = 14) -> Iterator[tuple[str, list[Event]]]:
    """Cases until ``events`` events are made; one case in memory at a time."""
    rng = random.Random(seed)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    made = number = 0
    while made < events:
        case = f"case{number:08d}"
        moment = start + timedelta(minutes=rng.randrange(525_600))
        path: list[Event] = []
        for key in DESIGN[: rng.choice((3, 5, 6, 8, 8))]:
            if rng.random() < 0.12:
                continue  # a skipped touchpoint
            for _ in range(2 if rng.random() < 0.05 else 1):  # rework
                moment += timedelta(minutes=rng.expovariate(1 / 240))
                channel = CHANNEL.get(key, rng.choice(("website", "website", "app")))
                path.append(Event(case, moment, key, made + len(path), channel, touchpoint=key))
            if rng.random() < 0.15:
                activity, channel = rng.choice(DETOURS)
                moment += timedelta(minutes=rng.expovariate(1 / 2_000))
                path.append(Event(case, moment, activity, made + len(path), channel))
        if path:
            made += len(path)
            number += 1
            yield case, path


def feedback(log: list[tuple[str, list[Event]]]) -> dict[str, CaseFeedback]:
    """A third of the cases answered: NPS, sentiment, negative topics."""
    rng = random.Random(3)
    said = {}
    for case, _ in log:
        if rng.random() < 1 / 3:
            topics = tuple(rng.sample(("price", "delay", "staff", "quality"), rng.randint(0, 2)))
            said[case] = CaseFeedback(rng.randint(0, 10), rng.uniform(-1, 1), topics)
    return said


def timed(name: str, work: Callable[[], object], events: int) -> None:
    started = time.perf_counter()
    work()
    seconds = time.perf_counter() - started
    print(f"{name:34} {seconds:8.2f} {events / seconds:12,.0f} {held_by(work):10.1f}")


def held_by(work: Callable[[], object]) -> float:
    """MiB the analysis allocated at its peak beyond what existed before it (the log)."""
    tracemalloc.start()
    before, _ = tracemalloc.get_traced_memory()
    work()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return (peak - before) / 2**20


def main() -> None:
    events = int(os.environ.get("BENCH_PATHS_EVENTS", "1000000"))
    print(f"path analyses on {events:,} generated events, load average {os.getloadavg()}")
    started = time.perf_counter()
    kept = list(generated(events))
    print(f"{len(kept):,} cases made in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    sum(len(es) for _, es in kept)
    baseline = time.perf_counter() - started
    print(f"baseline (reading the log, no analysis): {baseline:.3f} s")
    print(f"{'analysis':34} {'seconds':>8} {'events/s':>12} {'held MiB':>10}")
    variants = count_variants([e.activity for e in es] for _, es in kept)
    said = feedback(kept)
    group_of = {0: "pro", 1: "home", 2: "home"}

    def grouped() -> object:
        return per_group(log(), lambda c: group_of[int(c[-1]) % 3], DirectlyFollows)

    def log() -> Iterator[CaseEvents]:
        return iter(kept)

    analyses: list[tuple[str, Callable[[], object]]] = [
        ("variants", lambda: count_variants([e.activity for e in es] for _, es in log())),
        ("directly-follows graph", lambda: directly_follows(log())),
        ("drop-off (pay funnel)", lambda: drop_off(log(), ["site", "cart", "pay"])),
        ("repeat contacts (7 days)", lambda: repeat_contacts(log(), within_days=7, contacts=CONTACTS)),  # noqa: E501
        ("channel switches", lambda: channel_switches(log())),
        ("loops and rework", lambda: rework(log())),
        ("conformance", lambda: conformance(log(), DESIGN)),
        ("lived lane", lambda: lived_lane(log(), DESIGN)),
        ("voice by path (1/3 answered)", lambda: voice_of_paths(log(), said, contacts=CONTACTS)),
        ("directly-follows, per group (3)", grouped),
    ]  # fmt: skip
    for name, work in analyses:
        timed(name, work, events)
    started = time.perf_counter()
    folded = top_paths(variants, top=10)
    svg = sankey_svg(folded, sankey_text(folded, "en"))
    print(f"top paths + Sankey SVG ({len(variants.variants):,} variants, {len(svg):,} bytes): "
          f"{time.perf_counter() - started:.3f} s")  # fmt: skip
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the process: {peak:.0f} MiB; load average {os.getloadavg()}")


if __name__ == "__main__":
    main()
