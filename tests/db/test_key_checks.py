"""A copy's foreign keys checked once (``db.key_checks`` through ``copy_rows(shared=…)``,
PostgreSQL): the parents locked as the per-row checks would lock them, the checks back on
after the copy, and the per-row checks kept wherever the conditions do not hold.

Whether the per-row checks ran is seen through a row that breaks the caller's promise (its
workspace is not the shared one, and exists nowhere): the per-row checks refuse it; checked
once, it goes in, which is why only a caller whose every row holds the shared values may
pass them. Each such copy is rolled back.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from psycopg.errors import ForeignKeyViolation, RaiseException
from sqlalchemy import Connection, create_engine, event, func, select, text
from sqlalchemy.exc import IntegrityError, OperationalError

from cxgap.db import key_checks
from cxgap.db.copy import binary_types, copy_rows
from cxgap.db.tables import Feedback, FeedbackImport
from cxgap.services import feedback_direct
from cxgap.services.core import Cxgap
from cxgap.services.feedback_imports import run_feedback_import
from cxgap.services.workspaces import create_workspace
from tests.conftest import _settings, _truncate_postgres

pytestmark = pytest.mark.postgres

COLUMNS = ("workspace_id", "import_id", "source_type", "source_id", "collected_at", "text",
           "attributes", "text_hash", "created_at", "updated_at")  # fmt: skip
NOWHERE = 987_654  # no workspace has this id


@pytest.fixture
def pg(postgres_url: str, tmp_path: Path) -> Iterator[tuple[Cxgap, int, int]]:
    """A PostgreSQL database with a workspace and an import of it: (app, their ids)."""
    _truncate_postgres(postgres_url)
    cx = Cxgap(_settings(postgres_url, tmp_path))
    with cx.transaction() as session:
        workspace = create_workspace(session, key="acme", name="Acme")
        made = FeedbackImport(
            workspace_id=workspace.id, file_name="f.csv", mode="all_or_nothing", status="done"
        )
        session.add(made)
        session.flush()
        ids = workspace.id, made.id
    yield cx, *ids
    cx.dispose()


def _rows(workspace_id: int, import_id: int, first: int = 0) -> list[tuple[object, ...]]:
    now = datetime(2025, 1, 2, tzinfo=UTC)
    return [
        (workspace_id, import_id, "survey", f"s-{first + i}", now, "ok", "{}", "h" * 64, now, now)
        for i in range(3)
    ]


def _copy(
    conn: Connection, rows: list[tuple[object, ...]], shared: dict[str, object] | None
) -> int:
    types = binary_types(Feedback.__table__, COLUMNS)  # type: ignore[arg-type]
    return copy_rows(conn, "feedback", COLUMNS, rows, binary=types, shared=shared)


def _setting(conn: Connection) -> str:
    return str(conn.execute(text("SELECT current_setting('session_replication_role')")).scalar())


def test_the_keys_are_checked_once_and_the_checks_are_back_after_the_copy(
    pg: tuple[Cxgap, int, int],
) -> None:
    cx, ws, imp = pg
    shared = {"workspace_id": ws, "import_id": imp}
    with cx.engine.connect() as conn, conn.begin():
        # The per-row checks were off during the copy: a row breaking the promise went in.
        assert _copy(conn, [*_rows(ws, imp), *_rows(NOWHERE, imp, 3)], shared) == 6
        assert _setting(conn) == "origin"
        # and are on again for what follows in the same transaction
        with pytest.raises(ForeignKeyViolation):
            _copy(conn, _rows(NOWHERE, imp, 6), None)
        conn.rollback()


def test_the_parents_stay_locked_until_the_copy_commits(pg: tuple[Cxgap, int, int]) -> None:
    """As the per-row checks would: the workspace cannot be deleted under the rows."""
    cx, ws, imp = pg
    other = create_engine(cx.engine.url)
    try:
        with cx.engine.connect() as conn, conn.begin():
            _copy(conn, _rows(ws, imp), {"workspace_id": ws, "import_id": imp})
            with other.connect() as rival, pytest.raises(OperationalError, match="lock"):
                rival.execute(text("SET lock_timeout = '300ms'"))
                rival.execute(text("DELETE FROM workspaces WHERE id = :ws"), {"ws": ws})
    finally:
        other.dispose()
    with cx.engine.connect() as conn:
        stored = conn.execute(text("SELECT count(*) FROM feedback WHERE workspace_id = :ws"), {"ws": ws})  # fmt: skip  # noqa: E501
        assert stored.scalar() == 3


@pytest.mark.parametrize("case", ["missing parent", "a key not shared", "no shared"])
def test_the_rows_are_checked_one_by_one_where_the_keys_are_not_all_shared_and_known(
    pg: tuple[Cxgap, int, int], case: str
) -> None:
    cx, ws, imp = pg
    shared: dict[str, object] | None = {
        "missing parent": {"workspace_id": ws, "import_id": NOWHERE},
        "a key not shared": {"workspace_id": ws},
        "no shared": None,
    }[case]
    with cx.engine.connect() as conn, conn.begin(), pytest.raises(ForeignKeyViolation):
        _copy(conn, [*_rows(ws, imp), *_rows(NOWHERE, imp, 3)], shared)


def test_a_table_with_a_trigger_of_its_own_keeps_every_trigger(
    pg: tuple[Cxgap, int, int],
) -> None:
    """``replica`` would skip any trigger, not only the keys': a table with one of its own
    is copied with every trigger firing (here one that refuses the rows)."""
    cx, ws, imp = pg
    with cx.engine.connect() as conn, conn.begin():
        conn.execute(text(
            "CREATE FUNCTION pg_temp.refuse() RETURNS trigger LANGUAGE plpgsql"
            " AS $$ BEGIN RAISE EXCEPTION 'own trigger fired'; END $$"
        ))  # fmt: skip
        conn.execute(text(
            "CREATE TRIGGER own BEFORE INSERT ON feedback FOR EACH ROW"
            " EXECUTE FUNCTION pg_temp.refuse()"
        ))  # fmt: skip
        with pytest.raises(RaiseException, match="own trigger fired"):
            _copy(conn, _rows(ws, imp), {"workspace_id": ws, "import_id": imp})
        conn.rollback()


def test_a_role_that_may_not_turn_the_checks_off_keeps_them(pg: tuple[Cxgap, int, int]) -> None:
    cx, ws, imp = pg
    role = f"cxgap_plain_{secrets.token_hex(4)}"
    with cx.engine.connect() as conn:
        conn.execute(text(f"CREATE ROLE {role} NOLOGIN"))
        conn.execute(text(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {role}"))
        conn.execute(text(f"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {role}"))
        conn.commit()
        try:
            with conn.begin(), pytest.raises(ForeignKeyViolation):
                conn.execute(text(f"SET LOCAL ROLE {role}"))
                _copy(
                    conn,
                    [*_rows(ws, imp), *_rows(NOWHERE, imp, 3)],
                    {"workspace_id": ws, "import_id": imp},
                )
        finally:
            conn.rollback()
            conn.execute(text(f"DROP OWNED BY {role}"))
            conn.execute(text(f"DROP ROLE {role}"))
            conn.commit()


def test_the_staged_path_writes_feedback_with_the_keys_checked_once(
    pg: tuple[Cxgap, int, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The staged path's ``INSERT … SELECT`` into ``feedback`` (a re-import, SQLite's way)
    runs between the setting turned to ``replica`` and back, and stores the rows; the
    Listening counts after it (``listening_count_merge``) turn it on and back once more."""
    cx, _, _ = pg
    monkeypatch.setattr(feedback_direct, "enabled", False)
    path = tmp_path / "f.csv"
    path.write_text(
        "source_id,source_type,collected_at,text\n"
        + "".join(f"r-{i},survey,2025-01-0{1 + i % 9},text {i}\n" for i in range(30))
    )
    sent: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, *args: Any) -> None:
        sent.append((statement, parameters))

    event.listen(cx.engine, "before_cursor_execute", record)
    outcome = run_feedback_import(
        cx, workspace_key="acme", source=path, name=path.name, preset="generic"
    )
    assert outcome.refusal is None and outcome.report.records_valid == 30
    settings = [
        (i, dict(params)["value"]) for i, (statement, params) in enumerate(sent)
        if "set_config('session_replication_role'" in statement
    ]  # fmt: skip
    inserts = [i for i, (s, _) in enumerate(sent) if s.startswith("INSERT INTO feedback (")]
    assert len(inserts) == 1 and [v for _, v in settings] == ["replica", "origin"] * 2
    assert settings[0][0] < inserts[0] < settings[1][0]
    with cx.reading() as session:
        assert session.scalar(select(func.count()).select_from(Feedback)) == 30


def test_several_tables_are_checked_once_each_where_their_keys_are_shared(
    pg: tuple[Cxgap, int, int],
) -> None:
    """``checked_once_each`` (an import's Listening counts): the tables keyed by the shared
    workspace alone go unchecked under one setting; one with a key of its own (a segment
    count's ``segment_id``) is left out, its rows checked one by one; the checks are back
    after ``restore``."""
    cx, ws, _ = pg
    insert = text(
        "INSERT INTO listening_counts (workspace_id, day, source_type, channel, enriched,"
        " language, sentiment, has_nps, n) VALUES (:ws, :day, 'survey', '', 0, '', '',"
        " 0, 1)"
    )
    tables = ["listening_counts", "listening_segment_counts", "listening_day_score_counts"]
    with cx.engine.connect() as conn, conn.begin():
        chosen, before = key_checks.checked_once_each(conn, tables, {"workspace_id": ws})
        assert chosen == ("listening_counts", "listening_day_score_counts")
        assert before == "origin" and _setting(conn) == "replica"
        conn.execute(insert, {"ws": NOWHERE, "day": "2025-01-02"})  # unchecked: it goes in
        key_checks.restore(conn, before)
        with pytest.raises(IntegrityError, match="foreign key"):
            conn.execute(insert, {"ws": NOWHERE, "day": "2025-01-03"})
        conn.rollback()
    with cx.engine.connect() as conn, conn.begin():  # a workspace that does not exist
        assert key_checks.checked_once_each(conn, tables, {"workspace_id": NOWHERE}) == ((), None)
        assert key_checks.checked_once_each(conn, tables[1:2], {"workspace_id": ws}) == ((), None)
        assert _setting(conn) == "origin"
        conn.rollback()
