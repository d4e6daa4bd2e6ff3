"""Time the measure of the past: tickets imported from a Zendesk view export, evaluated, and a
year's compliance by priority, team and channel.

Tickets: BENCH_TICKETS (100,000) drawn with a fixed seed over 2026 and written as a Zendesk
view export (English headers, dates without an offset read with --timezone Europe/Paris).
Baseline, measured in the same run on the same file: ``csv.DictReader`` and
``datetime.fromisoformat`` building the same cases with no checks at all (no date-order
evidence, no refusals, no counts) — the least any import must do. The import must find the
same cases as the baseline."""

from __future__ import annotations

import csv
import json
import os
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.build import OUT
from bench.sla import MENU
from cxgap.sla.cases import Case, Event
from cxgap.sla.compliance import measure_compliance
from cxgap.sla.documents import read_policy_set
from cxgap.sla.reading import Reader
from cxgap.tickets.importing import import_tickets

HEADER = [
    "Id", "Assignee", "Group", "Status", "Priority", "Via", "Created at", "Organization",
    "Solved at", "Reopens", "First reply time in minutes", "First resolution time in minutes",
    "Agent wait time in minutes",
]  # fmt: skip
PARIS = ZoneInfo("Europe/Paris")


def write_export(path: Path, count: int, seed: int = 2026) -> None:
    rng = random.Random(seed)
    start = datetime(2026, 1, 1)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for i in range(count):
            created = start + timedelta(minutes=rng.randrange(360 * 1440))
            reply = rng.choice([None, *range(5, 3000, 7)])
            resolve = None if reply is None else reply + rng.randrange(0, 5000)
            solved = "" if resolve is None else str(created + timedelta(minutes=resolve))
            writer.writerow([
                i, f"Agent {i % 40}", rng.choice(["Billing", "Support", "Returns"]),
                "Solved" if solved else "Open", rng.choice(["Low", "Normal", "High", "Urgent", ""]),
                rng.choice(["Mail", "Web form", "Chat", "Phone call (incoming)"]),
                str(created), f"account-{i % 100}", solved, 0, reply or "", resolve or "",
                rng.choice([0, 0, 0, 120]),
            ])  # fmt: skip


def baseline(path: Path) -> list[Case]:
    """The least an import does: every row a case, no checks."""
    cases = []
    with path.open(encoding="utf-8", newline="") as source:
        for row in csv.DictReader(source):
            created = datetime.fromisoformat(row["Created at"]).replace(tzinfo=PARIS)
            events = []
            if row["First reply time in minutes"]:
                at = created + timedelta(minutes=float(row["First reply time in minutes"]))
                events.append(Event(at, "reply", by="agent"))
            if row["First resolution time in minutes"]:
                at = created + timedelta(minutes=float(row["First resolution time in minutes"]))
                events.append(Event(at, "status", status="resolved"))
            attributes = {"priority": row["Priority"].lower() or "normal", "team": row["Group"]}
            cases.append(Case(row["Id"], created, attributes, events, row["Organization"]))
    return cases


def main() -> None:
    size = int(os.environ.get("BENCH_TICKETS", "100000"))
    print(f"load average before: {os.getloadavg()[0]:.2f}", flush=True)
    policies = read_policy_set(Reader("menu"), MENU)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "zendesk_view.csv"
        write_export(path, size)
        started = time.perf_counter()
        imported = import_tickets(path, zone=PARIS)
        import_s = time.perf_counter() - started
        started = time.perf_counter()
        plain = baseline(path)
        baseline_s = time.perf_counter() - started
    same = [(c.id, c.created_at, [e.at for e in c.events]) for c in imported.cases] == [
        (c.id, c.created_at, [e.at for e in c.events]) for c in plain
    ]
    now = datetime(2027, 1, 1, tzinfo=UTC)
    start, end = datetime(2026, 1, 1, tzinfo=PARIS), datetime(2027, 1, 1, tzinfo=PARIS)
    started = time.perf_counter()
    result = measure_compliance(
        policies, imported.cases, start, end, now, by=["priority", "team", "channel"]
    )
    compliance_s = time.perf_counter() - started
    figures = {
        "tickets": size,
        "import_s": round(import_s, 2),
        "import_tickets_per_s": round(size / import_s),
        "baseline_unchecked_import_s": round(baseline_s, 2),
        "import_vs_baseline": round(import_s / baseline_s, 2),
        "same_cases_as_baseline": same,
        "evaluate_and_compliance_s": round(compliance_s, 2),
        "compliance_tickets_per_s": round(size / compliance_s),
        "metrics_counted": result.overall.overall.n,
        "groups": len(result.groups),
        "load_after": round(os.getloadavg()[0], 2),
    }
    for key, value in figures.items():
        print(f"{key}: {value}")
    OUT.mkdir(exist_ok=True)
    (OUT / "sla_history.json").write_text(json.dumps(figures, indent=2))
    if not same:
        raise SystemExit("the import and the unchecked baseline found different cases")


if __name__ == "__main__":
    main()
