"""An import through PostgreSQL's COPY, staged or straight into ``feedback``
(``services.feedback_direct``), stores exactly what the SQLite path stores."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, event, select

from cxgap.db.copy import copy_rows
from cxgap.db.tables import Feedback
from cxgap.errors import ConfigError
from cxgap.services import feedback_direct
from cxgap.services.core import Cxgap
from cxgap.services.feedback_imports import run_feedback_import
from tests.conftest import _settings, _truncate_postgres
from tests.factories import make_workspace

HEADER = [
    "source_id", "source_type", "channel", "collected_at", "text", "nps", "csat",
    "customer_ref", "touchpoint", "language", "shop", "note",
]  # fmt: skip
# Values COPY's text format must escape (tab, newline, backslash, "\N", quotes) or that a
# careless writer would turn into NULL (empty strings), and unicode beyond Latin-1.
ROWS = [
    ["a-1", "survey", "web", "2025-01-02T10:00:00+01:00", 'She said "fine", then\tleft',
     "9", "", "C-1", "delivery", "en", "Lyon", ""],
    ["a-2", "survey", "store", "2025-02-03", "line one\nline two\r\nline three", "", "4",
     "", "", "fr", "", "\\N"],
    ["a-3", "review", "", "2025-03-04 08:30", "back\\slash \\t not a tab; C:\\dossier\\",
     "0", "", "C-3", "", "", "Marseille\\", "tab\there"],
    ["a-4", "survey", "app", "2025-04-05T23:59:59Z", "", "10", "5", "", "checkout", "", "", ""],
    ["a-5", "survey", "app", "2025-05-06T00:00:00-05:00",
     "Très bien 👍 — naïve café, 日本語, emoji 🧪, ‘curly’ “quotes”", "7", "", "C-5",
     "", "fr", "Île-de-France", "Ω≈ç√"],
    ["a-6", "ticket", "mail", "2025-06-07", "  leading and trailing spaces  ", "", "", "",
     "", "", " ", "'"],
]  # fmt: skip
COMPARED = (
    "source_type", "source_id", "channel", "collected_at", "text", "nps", "csat", "ces",
    "stars", "customer_ref", "touchpoint", "language_hint", "attributes", "question",
    "response_key", "text_hash",
)  # fmt: skip


def _awkward_file(folder: Path) -> Path:
    path = folder / "awkward.csv"
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(HEADER)
        writer.writerows(ROWS)
    return path


def _stored(cx: Cxgap, path: Path) -> list[tuple[Any, ...]]:
    with cx.transaction() as session:
        make_workspace(session)
    outcome = run_feedback_import(
        cx, workspace_key="acme", source=path, name=path.name, preset="generic",
        pseudonymise=True,
    )  # fmt: skip
    assert outcome.refusal is None and outcome.report.records_valid == len(ROWS)
    columns = [Feedback.__table__.c[name] for name in COMPARED]
    with cx.reading() as session:
        return [tuple(row) for row in session.execute(select(*columns).order_by(columns[1]))]


def _staging_statements(cx: Cxgap) -> list[str]:
    """Every statement sent while importing that writes into the stage."""
    seen: list[str] = []

    def record(conn: Connection, cursor: object, statement: str, *args: object) -> None:
        if "feedback_stage" in statement and not statement.lstrip().startswith("DROP"):
            seen.append(statement.split("(")[0].strip())

    event.listen(cx.engine, "before_cursor_execute", record)
    return seen


@pytest.mark.postgres
@pytest.mark.parametrize("direct", [True, False], ids=["direct", "staged"])
def test_copy_import_stores_what_sqlite_stores(
    sqlite_template: Path,
    postgres_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    direct: bool,
) -> None:
    monkeypatch.setattr(feedback_direct, "enabled", direct)
    path = _awkward_file(tmp_path)
    shutil.copy(sqlite_template, tmp_path / "lite.sqlite3")
    lite = Cxgap(_settings(f"sqlite:///{tmp_path / 'lite.sqlite3'}", tmp_path))
    _truncate_postgres(postgres_url)
    pg = Cxgap(_settings(postgres_url, tmp_path))
    try:
        sent = _staging_statements(pg)
        on_sqlite, on_postgres = _stored(lite, path), _stored(pg, path)
    finally:
        lite.dispose()
        pg.dispose()
    assert on_postgres == on_sqlite
    by_id = {row[1]: row for row in on_postgres}
    assert by_id["a-1"][4] == 'She said "fine", then\tleft'
    assert by_id["a-2"][4] == "line one\nline two\nline three"  # the reader's newlines
    assert by_id["a-3"][4] == "back\\slash \\t not a tab; C:\\dossier\\"
    assert by_id["a-4"][4] == "" and by_id["a-4"][2] == "app"
    # The stage was filled by COPY: no INSERT statement wrote a staged row; the direct
    # path made no stage at all.
    assert [s for s in sent if s.startswith("INSERT INTO feedback_stage")] == []
    staged = any(s.startswith("CREATE TEMPORARY TABLE feedback_stage") for s in sent)
    assert staged is not direct


def test_copy_is_refused_where_the_driver_has_none(sqlite_cx: Cxgap) -> None:
    with sqlite_cx.engine.connect() as conn, pytest.raises(ConfigError, match="'sqlite'"):
        copy_rows(conn, "feedback", ["text"], [("x",)])


def test_copy_rows_instants_are_each_dates_own_however_often_it_repeats() -> None:
    """The ``COPY`` row's instant is remembered per date, yet is always the date's own UTC
    instant: an hour that repeats when clocks go back (``fold``) gives two instants,
    equal dates in other zones the same one."""
    from datetime import UTC, datetime, timedelta, timezone
    from zoneinfo import ZoneInfo

    from cxgap.ingest import FeedbackRecord
    from cxgap.services.feedback_stage import copy_row

    paris = ZoneInfo("Europe/Paris")
    early = datetime(2025, 10, 26, 2, 30, tzinfo=paris)
    dates = [
        early,
        early.replace(fold=1),  # equal to early (same zone), one hour later in fact
        early,
        datetime(2025, 10, 26, 0, 30, tzinfo=UTC),
        datetime(2025, 10, 26, 1, 30, tzinfo=timezone(timedelta(hours=-1))),
        datetime(2025, 3, 1, 9, 0, tzinfo=timezone(timedelta(hours=5, minutes=30))),
    ]
    instants = [
        copy_row(FeedbackRecord("survey", f"s-{i}", when, text="t"))[3]
        for i, when in enumerate(dates * 2)
    ]
    expected = [when.astimezone(UTC).isoformat() for when in dates * 2]
    assert instants == expected
    assert instants[:3] == [
        "2025-10-26T00:30:00+00:00",
        "2025-10-26T01:30:00+00:00",
        "2025-10-26T00:30:00+00:00",
    ]


def test_binary_copy_types_follow_the_columns() -> None:
    """The direct path's binary ``COPY`` writes each ``feedback`` column in the binary
    form of its own type; a column of a type it does not know is refused, not guessed."""
    from sqlalchemy import Boolean, Column, MetaData, Table

    from cxgap.db.copy import binary_types

    table = Feedback.__table__
    assert isinstance(table, Table)
    columns = feedback_direct.COLUMNS
    types = dict(zip(columns, binary_types(table, columns), strict=True))
    assert types["nps"] == types["stars"] == "int2"
    assert types["workspace_id"] == types["import_id"] == "int4"
    assert types["collected_at"] == types["created_at"] == "timestamptz"
    assert types["text"] == types["attributes"] == types["source_id"] == "text"
    other = Table("t", MetaData(), Column("flag", Boolean))
    with pytest.raises(ConfigError, match=r"t\.flag"):
        binary_types(other, ["flag"])
