"""Small event logs generated for the tests, written as CSV, JSON Lines, XES (gzipped or not)
and XLSX, with their variants counted independently of cxgap: a plain sort of each case's
(time, file index) pairs, no database."""

from __future__ import annotations

import csv
import gzip
import json
import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from xml.sax.saxutils import quoteattr

ACTIVITIES = ("Visit site", "Add to cart", "Call centre", "Order", "Delivery", "Return", "Survey")
CHANNELS = ("web", "phone", "shop", "app")
LIFECYCLES = ("SCHEDULE", "START", "COMPLETE")


@dataclass(frozen=True)
class GeneratedEvent:
    case: str
    at: datetime
    activity: str
    lifecycle: str
    channel: str
    resource: str


def generate(cases: int = 60, seed: int = 7) -> list[GeneratedEvent]:
    """Events grouped by case (cases in random order), with same-time ties inside cases and
    timestamps written in two offsets, so only a (time, file order) sort finds the paths."""
    rng = random.Random(seed)
    events: list[GeneratedEvent] = []
    start = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
    for number in range(cases):
        at = start + timedelta(hours=rng.randrange(0, 500))
        for _ in range(rng.randint(1, 7)):
            if rng.random() > 0.3:  # else a tie with the previous event
                at += timedelta(minutes=rng.randrange(1, 300))
            offset = timezone(timedelta(hours=2)) if rng.random() < 0.5 else UTC
            events.append(
                GeneratedEvent(
                    case=f"C-{number:04d}",
                    at=at.astimezone(offset),
                    activity=rng.choice(ACTIVITIES[: rng.randint(2, len(ACTIVITIES))]),
                    lifecycle=rng.choice(LIFECYCLES),
                    channel=rng.choice(CHANNELS),
                    resource=f"agent {rng.randrange(5)}",
                )
            )
    rank = {case: rng.random() for case in {event.case for event in events}}
    return sorted(events, key=lambda event: rank[event.case])  # stable: ties kept in order


def shuffled(events: list[GeneratedEvent], seed: int = 3) -> list[GeneratedEvent]:
    """The same events in a random file order (cases interleaved, ties reordered)."""
    mixed = list(events)
    random.Random(seed).shuffle(mixed)
    return mixed


def expected_variants(
    events: list[GeneratedEvent], lifecycles: set[str] | None = None
) -> Counter[tuple[str, ...]]:
    """Variant -> cases, counted without cxgap: each case's events sorted on (time, index)."""
    by_case: dict[str, list[tuple[datetime, int, str]]] = defaultdict(list)
    for index, event in enumerate(events):
        if lifecycles is None or event.lifecycle.lower() in lifecycles:
            by_case[event.case].append((event.at, index, event.activity))
    return Counter(tuple(activity for _, _, activity in sorted(path)) for path in by_case.values())


def as_counter(shape: dict[str, object]) -> Counter[tuple[str, ...]]:
    variants = shape["variants"]
    assert isinstance(variants, list)
    return Counter({tuple(v["activities"]): v["cases"] for v in variants})


PM_HEADER = [
    "case:concept:name",
    "concept:name",
    "time:timestamp",
    "lifecycle:transition",
    "case:channel",
    "org:resource",
]


def _pm_row(event: GeneratedEvent) -> list[str]:
    return [
        event.case,
        event.activity,
        event.at.isoformat(),
        event.lifecycle,
        event.channel,
        event.resource,
    ]


def write_csv(path: Path, events: list[GeneratedEvent]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(PM_HEADER)
        writer.writerows(_pm_row(event) for event in events)
    return path


def write_jsonl(path: Path, events: list[GeneratedEvent]) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for event in events:
            handle.write(json.dumps(dict(zip(PM_HEADER, _pm_row(event), strict=True))) + "\n")
    return path


def write_xlsx(path: Path, events: list[GeneratedEvent]) -> Path:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("events")
    sheet.append(PM_HEADER)
    for event in events:
        sheet.append(_pm_row(event))
    book.save(path)
    return path


def xes_text(events: list[GeneratedEvent]) -> str:
    """A XES log: one trace per run of consecutive events of a case (a case split in two
    traces keeps its events); trace attributes written after the events, as XES allows."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<log xmlns="http://www.xes-standard.org/">']
    lines.append('  <global scope="event"><string key="concept:name" value="x"/></global>')
    index = 0
    while index < len(events):
        case = events[index].case
        lines.append("  <trace>")
        while index < len(events) and events[index].case == case:
            e = events[index]
            lines += [
                "    <event>",
                f'      <string key="concept:name" value={quoteattr(e.activity)}/>',
                f'      <date key="time:timestamp" value="{e.at.isoformat()}"/>',
                f'      <string key="lifecycle:transition" value="{e.lifecycle}"/>',
                f'      <string key="org:resource" value={quoteattr(e.resource)}/>',
                '      <list key="nested"><string key="x" value="ignored"/></list>',
                "    </event>",
            ]
            index += 1
        lines.append(f'    <string key="concept:name" value={quoteattr(case)}/>')
        lines.append(f'    <string key="channel" value="{events[index - 1].channel}"/>')
        lines.append("  </trace>")
    lines.append("</log>")
    return "\n".join(lines) + "\n"


def write_xes(path: Path, events: list[GeneratedEvent]) -> Path:
    text = xes_text(events).encode("utf-8")
    if path.name.endswith(".gz"):
        path.write_bytes(gzip.compress(text))
    else:
        path.write_bytes(text)
    return path
