"""The variants PostgreSQL counts itself (``db.event_reads.variant_counts``) against the scan
of the stored events and against an independent sort-and-count of the generated log; and
the events stored through the binary ``COPY`` against those stored through the text one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from cxgap.db import event_writes
from cxgap.db.event_reads import workspace_events
from cxgap.db.event_writes import start_import, store_events
from cxgap.events import variants
from cxgap.events.importing import import_events
from cxgap.events.model import Event
from cxgap.events.variants import workspace_variants
from cxgap.paths.variants import Variants
from cxgap.services.core import Cxgap
from tests.events.logs import as_counter, expected_variants, generate, shuffled, write_csv
from tests.factories import make_workspace


@pytest.fixture
def pg(cx: Cxgap) -> Cxgap:
    if cx.engine.dialect.name != "postgresql":
        pytest.skip("the server-side variants and the binary COPY are PostgreSQL's")
    return cx


def _both(
    cx: Cxgap, workspace_id: int, monkeypatch: pytest.MonkeyPatch, **options: object
) -> tuple[Variants, Variants]:
    with cx.reading() as session:
        server = workspace_variants(session, workspace_id, **options)  # type: ignore[arg-type]
    monkeypatch.setattr(variants, "on_server", False)
    with cx.reading() as session:
        scanned = workspace_variants(session, workspace_id, **options)  # type: ignore[arg-type]
    monkeypatch.setattr(variants, "on_server", True)
    return server, scanned


@pytest.mark.parametrize("lifecycles", [None, {"COMPLETE", "start"}])
def test_the_server_counts_what_the_scan_counts_in_the_same_order(
    pg: Cxgap, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lifecycles: set[str] | None
) -> None:
    events = shuffled(generate(cases=400, seed=23))  # many variants of one case: ties
    with pg.transaction() as session:
        workspace_id = make_workspace(session).id
        import_events(
            session, workspace_id, write_csv(tmp_path / "log.csv", events), pseudonym_key="k"
        )
    server, scanned = _both(pg, workspace_id, monkeypatch, lifecycles=lifecycles)
    wanted = None if lifecycles is None else {name.lower() for name in lifecycles}
    expected = expected_variants(events, wanted)
    assert as_counter(server.as_json()) == expected
    assert server == scanned  # the same variants, counts, shares and order (ties included)
    assert server.cases == sum(expected.values())
    assert server.events == sum(len(path) * n for path, n in expected.items())
    assert [v.cases for v in server.variants] == sorted(
        (v.cases for v in server.variants), reverse=True
    )
    assert sum(1 for v in server.variants if v.cases == 1) > 20


def test_an_empty_workspace_has_no_variants_on_the_server(pg: Cxgap) -> None:
    with pg.transaction() as session:
        workspace_id = make_workspace(session).id
    with pg.reading() as session:
        assert workspace_variants(session, workspace_id) == Variants(0, 0, ())


def test_the_binary_copy_stores_what_the_text_copy_stores(
    pg: Cxgap, monkeypatch: pytest.MonkeyPatch
) -> None:
    start = datetime(2026, 3, 1, 9, 0)  # naive: stored as UTC, as the ORM stores it
    paris = start.replace(tzinfo=UTC).astimezone(ZoneInfo("Europe/Paris"))
    log = [
        Event("c-1", start, "Visit", position=0, channel="web", amount=12.25),
        Event("c-1", start.replace(tzinfo=UTC) + timedelta(hours=1), "Call", position=1,
              channel="phone", attributes={"agent": "Zoé \"Z\" \\ n°7"}),
        Event("c-2", paris,
              "Order", position=2, outcome="paid", lifecycle="complete", touchpoint="checkout"),
    ]  # fmt: skip
    read: list[list[Event]] = []
    for binary in (False, True):
        monkeypatch.setattr(event_writes, "binary_copy", binary)
        with pg.transaction() as session:
            ws = make_workspace(session, key=f"w{int(binary)}")
            assert (
                store_events(session, ws.id, start_import(session, ws.id, "l", "generic"), log) == 3
            )
        with pg.reading() as session:
            read.append(list(workspace_events(session, ws.id)))
    assert read[0] == read[1]
    first, call, order = read[1]
    assert first.timestamp == start.replace(tzinfo=UTC) and first.amount == 12.25
    assert dict(call.attributes) == {"agent": 'Zoé "Z" \\ n°7'}
    assert (order.outcome, order.lifecycle, order.touchpoint) == ("paid", "complete", "checkout")
    assert order.timestamp == start.replace(tzinfo=UTC)
