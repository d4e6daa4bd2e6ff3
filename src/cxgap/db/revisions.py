"""A workspace's data revision, without one row that every survey answer updates.

Results, overlay and topic caches are keyed by the workspace's data revision: every write
that changes what they show moves it, so a cache written at another revision is stale.
Imports, segment changes and the full answer route still add one to
``workspaces.data_revision``. A survey answer taken on the short path
(``services/public_answers.py``) does not: under load every answer would update that one
row and, on PostgreSQL, hold its lock until its commit, so the answers to one workspace
queued on it one commit (one WAL flush) after the other.

Those answers add one to a row of ``workspace_revision_shards`` instead, chosen from the
response id among ``SHARDS`` rows per workspace (an upsert: the row is made by its first
answer), so concurrent answers seldom wait on the same row and their commits can be
flushed together. The revision is ``data_revision`` plus the sum of the workspace's shards,
read in one statement (``revision_of``). Every part only grows, so every committed write
makes the sum grow: a reader sees a new answer as soon as it is committed, and a revision
is never seen twice for different data (no counter is ever set back).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any, cast

from sqlalchemy import (
    Connection,
    ForeignKey,
    Integer,
    ScalarSelect,
    Select,
    SmallInteger,
    Table,
    bindparam,
    func,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from cxgap.db.account_tables import Workspace
from cxgap.db.table_base import Base

SHARDS = 16  # rows per workspace that answers spread their count over


class WorkspaceRevisionShard(Base):
    """Answers counted into the workspace's data revision, one row per shard."""

    __tablename__ = "workspace_revision_shards"

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    shard: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    revision: Mapped[int] = mapped_column(Integer, default=0)


def _shards_sum(workspace_id: Any) -> ScalarSelect[Any]:
    shards = WorkspaceRevisionShard.__table__.c
    return (
        select(func.coalesce(func.sum(shards.revision), 0))
        .where(shards.workspace_id == workspace_id)
        .scalar_subquery()
    )


def revision_column() -> Any:
    """The revision of the row of ``workspaces`` a query selects, as a column."""
    return (Workspace.data_revision + _shards_sum(Workspace.id)).label("data_revision")


@cache
def _revision_statement() -> Select[Any]:
    return select(revision_column()).where(Workspace.id == bindparam("workspace_id"))


def revision_of(session: Session | Connection, workspace_id: int) -> int:
    """The workspace's data revision now (0 for an unknown workspace)."""
    value = session.execute(_revision_statement(), {"workspace_id": workspace_id}).scalar()
    return int(value or 0)


@cache
def _count_statement(dialect: str) -> Any:
    table = cast(Table, WorkspaceRevisionShard.__table__)
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    new = insert(table).values(
        workspace_id=bindparam("workspace_id"), shard=bindparam("shard"), revision=bindparam("n")
    )
    return new.on_conflict_do_update(
        index_elements=[table.c.workspace_id, table.c.shard],
        set_={"revision": table.c.revision + new.excluded.revision},
    )


def shard_of(response_id: int) -> int:
    return response_id % SHARDS


def count_answer(conn: Connection, workspace_id: int, response_id: int) -> None:
    """Move the workspace's revision for a new answer (the transaction's last statement:
    its row lock is then held only for the commit)."""
    count_answers(conn, {(workspace_id, shard_of(response_id)): 1})


def count_answers(conn: Connection, counts: Mapping[tuple[int, int], int]) -> None:
    """Add ``n`` to each (workspace, shard) counter, in the order of their keys: two
    transactions that count in several rows take their locks in the same order, so neither
    waits for the other while holding a row the other waits for."""
    params = [
        {"workspace_id": ws, "shard": shard, "n": n} for (ws, shard), n in sorted(counts.items())
    ]
    for one in params:  # one statement each: their locks are taken in this order
        conn.execute(_count_statement(conn.dialect.name), one)
